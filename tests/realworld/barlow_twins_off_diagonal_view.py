import torch
import torch.nn as nn


def off_diagonal(x):
    n, m = x.shape
    assert n == m
    return x.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten()


torch.manual_seed(36)
projector = nn.Sequential(nn.Linear(5, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 4, bias=False))
bn = nn.BatchNorm1d(4, affine=False)
y1, y2 = torch.randn(6, 5), torch.randn(6, 5)
z1, z2 = projector(y1), projector(y2)
c = bn(z1).T @ bn(z2)
c.div_(6)
on_diag = torch.diagonal(c).add_(-1).pow_(2).sum()
off_diag = off_diagonal(c).pow_(2).sum()
loss = on_diag + 0.0051 * off_diag
loss.backward()
print(f"{on_diag.item():.5f} {off_diag.item():.5f}")
print(projector[0].weight.grad.norm().item() > 0)
