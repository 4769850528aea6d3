import torch

torch.manual_seed(0)
a = torch.randn(2, requires_grad=True)
b = torch.randn(2, requires_grad=True)
out = (a ** 2).sum()
ga, = torch.autograd.grad(out, a, retain_graph=True)
print(ga)
ga, gb = torch.autograd.grad(out, [a, b])
