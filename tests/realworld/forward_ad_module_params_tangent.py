import torch.autograd.forward_ad as fwAD
from torch.func import functional_call

torch.manual_seed(122)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
x = torch.randn(4, 2)
direction = {name: torch.randn_like(p) for name, p in model.named_parameters()}
with fwAD.dual_level():
    duals = {name: fwAD.make_dual(p.detach(), direction[name]) for name, p in model.named_parameters()}
    out = functional_call(model, duals, (x,))
    primal_out, tangent_out = fwAD.unpack_dual(out)
    print(fwAD.unpack_dual(duals["0.weight"]).tangent is not None)
print(primal_out.squeeze(1))
print(tangent_out.squeeze(1))
eps = 1e-3
with torch.no_grad():
    shifted = {n: p + eps * direction[n] for n, p in model.named_parameters()}
    fd = (functional_call(model, shifted, (x,)) - model(x)) / eps
print(torch.allclose(fd, tangent_out, atol=1e-2))
loss = model(x).sum() + tangent_out.sum()
loss.backward()
print(model[0].weight.grad)
