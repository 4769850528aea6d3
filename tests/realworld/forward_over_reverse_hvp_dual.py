import torch
import torch.autograd.forward_ad as fwAD

def loss_fn(w):
    return (w.sin() * w).sum() + w.prod()

w = torch.tensor([0.5, 1.0, -0.3], requires_grad=True)
v = torch.tensor([1.0, 0.0, 2.0])

def grad_fn(w):
    return torch.autograd.grad(loss_fn(w), w, create_graph=True)[0]

with fwAD.dual_level():
    dual_w = fwAD.make_dual(w, v)
    g = grad_fn(dual_w)
    primal, tangent = fwAD.unpack_dual(g)
print("grad:", primal)
print("hvp:", tangent)

g2 = grad_fn(w)
hvp_ref, = torch.autograd.grad(g2, w, v)
print("reverse-over-reverse:", hvp_ref)
print(torch.allclose(tangent, hvp_ref))
