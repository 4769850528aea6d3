import torch
import torch.autograd.forward_ad as fwAD
import torch.nn as nn

torch.manual_seed(13)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
primal = torch.randn(5, 3)
tangent = torch.randn(5, 3)
with fwAD.dual_level():
    dual_input = fwAD.make_dual(primal, tangent)
    assert fwAD.unpack_dual(dual_input).tangent is tangent
    dual_output = model(dual_input)
    jvp = fwAD.unpack_dual(dual_output).tangent
    out_primal = fwAD.unpack_dual(dual_output).primal
print(jvp.shape)
print(fwAD.unpack_dual(dual_output).tangent)
# compare with reverse-mode: J v via double-vjp trick
x = primal.clone().requires_grad_(True)
y = model(x)
u = torch.zeros_like(y, requires_grad=True)
(g,) = torch.autograd.grad(y, x, grad_outputs=u, create_graph=True)
(jv,) = torch.autograd.grad(g, u, grad_outputs=tangent)
print(torch.allclose(jv, jvp, atol=1e-6))
