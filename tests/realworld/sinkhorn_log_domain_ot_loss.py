import torch


def sinkhorn(x, y, eps=0.1, iters=30):
    C = torch.cdist(x, y) ** 2
    n, m = C.shape
    log_a = torch.full((n,), -torch.log(torch.tensor(float(n))))
    log_b = torch.full((m,), -torch.log(torch.tensor(float(m))))
    f = torch.zeros(n)
    g = torch.zeros(m)
    for _ in range(iters):
        f = -eps * torch.logsumexp((g[None, :] - C) / eps + log_b[None, :], dim=1)
        g = -eps * torch.logsumexp((f[:, None] - C) / eps + log_a[:, None], dim=0)
    P = torch.exp((f[:, None] + g[None, :] - C) / eps + log_a[:, None] + log_b[None, :])
    return (P * C).sum(), P


torch.manual_seed(0)
source = torch.randn(5, 2, requires_grad=True)
target = torch.randn(4, 2) + 2.0
cost, plan = sinkhorn(source, target)
cost.backward()
print(f"{cost.item():.4f}", plan.sum(1), plan.sum(0))
print(source.grad)
