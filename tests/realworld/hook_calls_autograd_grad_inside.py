# A tensor hook that inspects grad mode and computes a side gradient inside backward.
import torch

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * a
seen = []


def hook(g):
    seen.append((torch.is_grad_enabled(), g.requires_grad))
    print("hook sees", g, "grad mode:", torch.is_grad_enabled())
    return g * 0.5


b.register_hook(hook)
c = b.sum() * 2
c.backward()
print("a.grad", a.grad, seen)

a.grad = None
b2 = a.sin()
b2.register_hook(hook)
(g,) = torch.autograd.grad(b2.sum(), a, create_graph=True)
print("create_graph hook:", seen[-1], g.requires_grad)
g.sum().backward()
print(a.grad)
