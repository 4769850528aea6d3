import torch
import torch.nn.functional as F

torch.manual_seed(6)
input = torch.randn(3, 5, requires_grad=True)
target = torch.tensor([1, 0, 4])
weight = torch.randn(5, 5, requires_grad=True)
sum = 0
for iter in range(2):
    next = input @ weight
    max = next.max(dim=1, keepdim=True).values
    logits = next - max
    min = logits.min()
    loss = F.cross_entropy(logits, target)
    sum += loss
sum.backward()
print(input.grad)
print(weight.grad)
print(type(sum), float(sum), min)
