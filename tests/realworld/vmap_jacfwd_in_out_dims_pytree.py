import torch
from torch.func import vmap, jacfwd, jacrev, grad
from torch.utils._pytree import tree_map

torch.manual_seed(0)


def rbf(x, params):
    d = x - params["centers"]
    return (params["w"] * torch.exp(-(d**2).sum(-1) / params["ls"] ** 2)).sum()


params = {"centers": torch.randn(4, 2), "w": torch.randn(4), "ls": torch.tensor(0.7)}
xs = torch.randn(5, 2)

vals = vmap(rbf, in_dims=(0, None))(xs, params)
J = vmap(jacfwd(rbf), in_dims=(0, None))(xs, params)
H = vmap(jacrev(jacfwd(rbf)), in_dims=(0, None))(xs, params)
print("values", vals)
print("J", J.shape, "H", H.shape)


def f2(x, params):
    return rbf(x, params), x.norm()


a, b = vmap(f2, in_dims=(0, None), out_dims=(0, 0))(xs, params)
print(torch.allclose(a, vals), b.shape)

pgrad = vmap(grad(rbf, argnums=1), in_dims=(0, None))(xs, params)
print(tree_map(lambda t: tuple(t.shape), pgrad))

# ordinary training of the same params with autograd
leaves = tree_map(lambda t: t.clone().requires_grad_(), params)
opt = torch.optim.SGD(list(leaves.values()), lr=0.1)
target = torch.sin(xs[:, 0])
for step in range(3):
    pred = torch.stack([rbf(x, leaves) for x in xs])
    loss = ((pred - target) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step}: loss {loss.item():.5f} dls {leaves['ls'].grad.item():+.5f}")
