import torch.func as func

torch.manual_seed(11)
net = nn.Sequential(nn.Linear(3, 5), nn.GELU(), nn.Linear(5, 2))
params = {k: v.detach() for k, v in net.named_parameters()}
x = torch.randn(4, 3)


def loss_fn(p, x):
    out = func.functional_call(net, p, (x,))
    return out.pow(2).mean(), out


loss, vjp_fn, out = func.vjp(loss_fn, params, x, has_aux=True)
grads_p, grads_x = vjp_fn(torch.tensor(1.0))
print(f"loss {loss:.5f}")
for k in grads_p:
    print(k, grads_p[k].shape, f"{grads_p[k].abs().sum():.5f}")
print(grads_x)

tangents = {k: torch.ones_like(v) for k, v in params.items()}
_, dloss = func.jvp(lambda p: loss_fn(p, x)[0], (params,), (tangents,))
flat_grad = torch.cat([g.flatten() for g in grads_p.values()])
print(torch.allclose(dloss, flat_grad.sum()), dloss)

ref = net(x).pow(2).mean()
ref.backward()
print(torch.allclose(net[0].weight.grad, grads_p["0.weight"]))
