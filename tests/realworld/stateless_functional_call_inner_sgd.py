# MAML-style inner loop with torch.nn.utils.stateless (the pre-torch.func way)
import torch
import torch.nn as nn
from torch.nn.utils import stateless

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))
meta_opt = torch.optim.Adam(model.parameters(), lr=1e-2)


def sample_task(n=10):
    a = torch.rand(1) * 4 + 0.1
    ph = torch.rand(1) * 3.14
    x = torch.rand(n, 1) * 10 - 5
    return x, a * torch.sin(x + ph)


inner_lr = 0.01
for it in range(3):
    x_s, y_s = sample_task()
    x_q, y_q = sample_task()
    params = dict(model.named_parameters())
    loss_s = nn.functional.mse_loss(stateless.functional_call(model, params, (x_s,)), y_s)
    grads = torch.autograd.grad(loss_s, params.values(), create_graph=True)
    fast = {name: p - inner_lr * g for (name, p), g in zip(params.items(), grads)}
    loss_q = nn.functional.mse_loss(stateless.functional_call(model, fast, (x_q,)), y_q)
    meta_opt.zero_grad()
    loss_q.backward()
    meta_opt.step()
    print(f"iter {it}: support {loss_s.item():.4f}  query {loss_q.item():.4f}")

print(fast["0.weight"].shape, fast["2.bias"])
