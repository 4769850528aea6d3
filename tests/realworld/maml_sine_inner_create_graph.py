import torch
import torch.nn as nn
import torch.nn.functional as F
from collections import OrderedDict

torch.manual_seed(0)
model = nn.Sequential(OrderedDict([("l1", nn.Linear(1, 20)), ("relu", nn.ReLU()), ("l2", nn.Linear(20, 1))]))
meta_opt = torch.optim.Adam(model.parameters(), lr=1e-3)
inner_lr = 0.01


def functional_forward(x, params):
    x = F.linear(x, params["l1.weight"], params["l1.bias"])
    x = F.relu(x)
    return F.linear(x, params["l2.weight"], params["l2.bias"])


def sample_task():
    amp = torch.rand(1) * 4 + 0.1
    phase = torch.rand(1) * 3.14
    xs = torch.rand(10, 1) * 10 - 5
    ys = amp * torch.sin(xs + phase)
    return xs[:5], ys[:5], xs[5:], ys[5:]


for meta_iter in range(3):
    meta_opt.zero_grad()
    meta_loss = 0.0
    for task in range(2):
        xs, ys, xq, yq = sample_task()
        params = OrderedDict(model.named_parameters())
        for step in range(2):
            loss = F.mse_loss(functional_forward(xs, params), ys)
            grads = torch.autograd.grad(loss, params.values(), create_graph=True)
            params = OrderedDict((name, p - inner_lr * g) for (name, p), g in zip(params.items(), grads))
        q_loss = F.mse_loss(functional_forward(xq, params), yq)
        meta_loss = meta_loss + q_loss
    meta_loss = meta_loss / 2
    meta_loss.backward()
    meta_opt.step()
    print(f"meta {meta_iter} {meta_loss.item():.4f}")
print(model.l2.bias.grad)
