import torch
from torch.func import grad


def f(w):
    loss = (w ** 2).sum()
    loss.backward()          # habit from eager code: not allowed inside a transform
    return loss


w = torch.tensor([1.0, 2.0], requires_grad=True)
print(f(w), w.grad)
w.grad = None
print(grad(f)(w))
