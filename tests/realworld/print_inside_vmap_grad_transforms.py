from torch.func import grad, vmap, jacrev


def loss_fn(w, x):
    print("tracing loss_fn with", type(w).__name__, tuple(w.shape), "x:", tuple(x.shape))
    y = torch.tanh(x @ w)
    print("  y:", y)
    return y.pow(2).sum()


torch.manual_seed(0)
w = torch.randn(3)
xs = torch.randn(4, 3)
g = grad(loss_fn)(w, xs[0])
print("grad:", g)
per_sample = vmap(grad(loss_fn), in_dims=(None, 0))(w, xs)
print("per-sample grads:", per_sample.shape)
J = jacrev(lambda v: torch.tanh(xs @ v))(w)
print(J.shape, torch.allclose(J[0], (1 - torch.tanh(xs[0] @ w) ** 2) * xs[0]))
w_leaf = w.clone().requires_grad_()
total = sum(loss_fn(w_leaf, x) for x in xs)
total.backward()
print(torch.allclose(w_leaf.grad, per_sample.sum(0)))
