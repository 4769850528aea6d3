import torch
import torch.autograd.forward_ad as fwAD

def f(x):
    return torch.sin(x) * x.pow(2) + torch.log1p(x.exp())

x = torch.linspace(-1, 1, 5)
v = torch.tensor([1.0, 0.0, -1.0, 2.0, 0.5])
with fwAD.dual_level():
    dual = fwAD.make_dual(x, v)
    out = f(dual)
    primal, tangent = fwAD.unpack_dual(out)
    jvp_val = tangent.clone()
eps = 1e-3
fd = (f(x + eps * v) - f(x - eps * v)) / (2 * eps)
print(primal)
print(jvp_val)
print("max diff", (jvp_val - fd).abs().max().item() < 1e-2)
