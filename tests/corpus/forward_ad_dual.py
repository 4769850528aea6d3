import torch.autograd.forward_ad as fwAD
primal = torch.tensor([1.0, 2.0, 3.0])
tangent = torch.tensor([1.0, 0.0, 0.0])
with fwAD.dual_level():
    dual_input = fwAD.make_dual(primal, tangent)
    dual_output = dual_input.exp() * 2
    jvp = fwAD.unpack_dual(dual_output).tangent
print(jvp)
