from torch.func import grad, vmap, jacrev, functional_call
torch.manual_seed(16)
model = nn.Linear(3, 1)
params = {k: v.detach() for k, v in model.named_parameters()}

def loss_fn(p, x, y):
    pred = functional_call(model, p, (x,))
    return ((pred - y) ** 2).mean()

xs = torch.randn(5, 3)
ys = torch.randn(5, 1)
per_sample = vmap(grad(loss_fn), in_dims=(None, 0, 0))(params, xs, ys)
print({k: tuple(v.shape) for k, v in per_sample.items()})
f = lambda t: t.sin() * t
jac = jacrev(f)(torch.tensor([0.0, 1.0, 2.0]))
print(jac.diagonal())
w = torch.randn(3, requires_grad=True)
outer = (jac @ w).sum()
outer.backward()
print(w.grad)
