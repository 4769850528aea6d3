import torch.autograd.forward_ad as fwAD

torch.manual_seed(31)
w = torch.randn(3, 3, requires_grad=True)
primal = torch.randn(3)
tangent = torch.ones(3)
with fwAD.dual_level():
    dual = fwAD.make_dual(primal, tangent)
    out = torch.tanh(w @ dual)
    unpacked = fwAD.unpack_dual(out)
    jvp = unpacked.tangent
    value = unpacked.primal
loss = (jvp ** 2).sum() + value.sum()
loss.backward()
print(jvp)
print(w.grad)
