import torch
from torch.func import grad

torch.manual_seed(0)


def f(x):
    return x.sin() * x


x = torch.randn(4)
print(grad(lambda t: f(t).sum())(x))
g = grad(f)(x)
print(g)
