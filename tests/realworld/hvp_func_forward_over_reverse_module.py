from torch.func import jvp, grad, functional_call, vjp
torch.manual_seed(10)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
params = {k: v.detach() for k, v in model.named_parameters()}
x = torch.randn(6, 2)
y = torch.randn(6, 1)


def loss(p):
    return F.mse_loss(functional_call(model, p, (x,)), y)


v = {k: torch.randn_like(t) for k, t in params.items()}
_, hvp = jvp(grad(loss), (params,), (v,))
print({k: t.shape for k, t in hvp.items()})
_, vjp_fn = vjp(grad(loss), params)
(rev_hvp,) = vjp_fn(v)
print(all(torch.allclose(hvp[k], rev_hvp[k], atol=1e-5) for k in hvp))
# the same with double backward on the module
l = loss({k: p for k, p in model.named_parameters()})
gs = torch.autograd.grad(l, list(model.parameters()), create_graph=True)
dot = sum((g * v[k]).sum() for g, k in zip(gs, params))
dot.backward()
print(torch.allclose(model[0].weight.grad, hvp["0.weight"], atol=1e-5))
