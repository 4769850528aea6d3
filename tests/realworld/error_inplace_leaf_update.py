import torch

torch.manual_seed(4)
weights = torch.randn(2, 2, requires_grad=True)
inp = torch.randn(3, 2)
loss = (inp @ weights).tanh().sum()
loss.backward()
print("grad:", weights.grad)
lr = 0.5
weights -= lr * weights.grad   # forgot torch.no_grad()
print("updated", weights)
