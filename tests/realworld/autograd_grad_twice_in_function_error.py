import torch

def grad_twice(x):
    y = (x ** 3).sum()
    g1 = torch.autograd.grad(y, x)[0]
    g2 = torch.autograd.grad(y, x)[0]
    return g1 + g2

x = torch.tensor([1.0, 2.0], requires_grad=True)
print("before")
out = grad_twice(x)
print("never", out)
