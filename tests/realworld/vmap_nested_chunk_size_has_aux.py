from torch.func import grad, vmap

torch.manual_seed(169)


def pairwise(a, b):
    return (a - b).pow(2).sum().sqrt()


pts = torch.randn(4, 2)
dists = vmap(vmap(pairwise, in_dims=(None, 0)), in_dims=(0, None), chunk_size=2)(pts, pts)
print(dists)


def loss_with_aux(w, x):
    pred = x @ w
    return pred.pow(2).mean(), {"pred_mean": pred.mean(), "norm": w.norm()}


w = torch.randn(2, requires_grad=True)
g, aux = grad(loss_with_aux, has_aux=True)(w, pts)
print(g, aux["pred_mean"], aux["norm"])
step = w - 0.1 * g
total = step.sum() + dists.sum()
total.backward()
print(w.grad, step)
