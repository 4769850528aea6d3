# MAML with parameters as a plain list and a hand-written functional forward (second order through the inner step)
import torch
import torch.nn.functional as F

torch.manual_seed(15)
params = [torch.randn(1, 8) * 0.5, torch.zeros(8), torch.randn(8, 1) * 0.5, torch.zeros(1)]
params = [p.requires_grad_() for p in params]
meta_opt = torch.optim.SGD(params, lr=0.01)


def forward(x, p):
    h = F.relu(x @ p[0] + p[1])
    return h @ p[2] + p[3]


def task():
    a, phase = torch.rand(1) * 4 + 1, torch.rand(1) * 3
    xs = torch.rand(5, 1) * 10 - 5
    xq = torch.rand(5, 1) * 10 - 5
    return xs, a * torch.sin(xs + phase), xq, a * torch.sin(xq + phase)


for meta_step in range(2):
    meta_opt.zero_grad()
    meta_loss = 0.0
    for _ in range(2):
        xs, ys, xq, yq = task()
        fast = params
        for _ in range(2):
            inner = F.mse_loss(forward(xs, fast), ys)
            grads = torch.autograd.grad(inner, fast, create_graph=True)
            fast = [w - 0.01 * g for w, g in zip(fast, grads)]
        meta_loss = meta_loss + F.mse_loss(forward(xq, fast), yq)
    meta_loss = meta_loss / 2
    meta_loss.backward()
    meta_opt.step()
    print(meta_step, round(meta_loss.item(), 4))
print(params[3].grad, fast[3])
