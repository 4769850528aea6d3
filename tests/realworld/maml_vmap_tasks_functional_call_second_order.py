from torch.func import functional_call, grad, vmap

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
params = {k: v.detach().clone().requires_grad_() for k, v in net.named_parameters()}
meta_opt = torch.optim.Adam(params.values(), lr=1e-2)


def task_batch(n_tasks=3, k=5):
    amp = torch.rand(n_tasks, 1, 1) * 4 + 1
    phase = torch.rand(n_tasks, 1, 1) * 3
    xs = torch.rand(n_tasks, 2 * k, 1) * 10 - 5
    ys = amp * torch.sin(xs + phase)
    return xs[:, :k], ys[:, :k], xs[:, k:], ys[:, k:]


def loss(p, x, y):
    return F.mse_loss(functional_call(net, p, (x,)), y)


def adapt_and_eval(p, xs, ys, xq, yq, inner_lr=0.01):
    g = grad(loss)(p, xs, ys)
    fast = {k: p[k] - inner_lr * g[k] for k in p}
    return loss(fast, xq, yq)


for it in range(3):
    xs, ys, xq, yq = task_batch()
    query_losses = vmap(adapt_and_eval, in_dims=(None, 0, 0, 0, 0))(params, xs, ys, xq, yq)
    meta_loss = query_losses.mean()
    meta_opt.zero_grad()
    meta_loss.backward()
    meta_opt.step()
    print(f"iter {it}: meta loss {meta_loss.item():.4f} per task {[round(v, 3) for v in query_losses.tolist()]}")
print(params["0.weight"].grad.norm())
