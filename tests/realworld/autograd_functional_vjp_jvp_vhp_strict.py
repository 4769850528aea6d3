import torch
from torch.autograd.functional import vjp, jvp, vhp

def f(a, b):
    return (a * b.sin()).sum(dim=0), a.exp().mean()

torch.manual_seed(1)
a = torch.randn(3, 2)
b = torch.randn(3, 2)
out, vjp_val = vjp(f, (a, b), (torch.ones(2), torch.tensor(2.0)))
print("out", out)
print("vjp a", vjp_val[0])
print("vjp b", vjp_val[1])
_, jvp_val = jvp(lambda t: (t ** 3).sum(1), a, torch.ones_like(a), create_graph=False)
print("jvp", jvp_val)
val, h = vhp(lambda t: (t ** 4).sum(), b, torch.ones_like(b))
print(val.item() > 0, h)
