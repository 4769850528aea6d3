import torch

torch.manual_seed(53)
base = torch.randn(3, requires_grad=True)
scaled = [(last := base * k).sum() for k in range(1, 4)]
total = sum(scaled)
total.backward()
print(last)
print(base.grad)
if (n := base.norm()) > 0.5:
    print("norm", round(n.item(), 4))
