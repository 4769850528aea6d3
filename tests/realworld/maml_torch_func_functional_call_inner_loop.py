import torch
import torch.nn as nn
from torch.func import functional_call, grad

torch.manual_seed(45)
net = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
meta_opt = torch.optim.Adam(net.parameters(), lr=1e-3)
inner_lr = 0.1


def task_batch(amplitude, phase, n=5):
    x = torch.rand(n, 1) * 6 - 3
    return x, amplitude * torch.sin(x + phase)


def loss_fn(params, x, y):
    return nn.functional.mse_loss(functional_call(net, params, (x,)), y)


meta_opt.zero_grad()
outer_losses = []
for amp, phase in [(1.0, 0.0), (2.0, 1.0)]:
    params = dict(net.named_parameters())
    xs, ys = task_batch(amp, phase)
    xq, yq = task_batch(amp, phase)
    for _ in range(2):
        grads = grad(loss_fn)(params, xs, ys)
        params = {k: p - inner_lr * grads[k] for k, p in params.items()}
    query_loss = loss_fn(params, xq, yq)
    query_loss.backward()
    outer_losses.append(query_loss.item())
meta_opt.step()
print([round(l, 5) for l in outer_losses])
print(net[0].weight.grad.flatten()[:4])
