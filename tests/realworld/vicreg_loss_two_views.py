"""VICReg (Bardes et al., 2022): variance, invariance and covariance terms on two augmented views."""

import torch
import torch.nn as nn
import torch.nn.functional as F


def off_diagonal(m):
    n = m.shape[0]
    return m.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten()


def vicreg(z1, z2, sim_w=25.0, var_w=25.0, cov_w=1.0):
    inv = F.mse_loss(z1, z2)
    z1 = z1 - z1.mean(0)
    z2 = z2 - z2.mean(0)
    std1 = torch.sqrt(z1.var(0) + 1e-4)
    std2 = torch.sqrt(z2.var(0) + 1e-4)
    var = F.relu(1 - std1).mean() / 2 + F.relu(1 - std2).mean() / 2
    n, d = z1.shape
    cov1 = (z1.T @ z1) / (n - 1)
    cov2 = (z2.T @ z2) / (n - 1)
    cov = off_diagonal(cov1).pow(2).sum() / d + off_diagonal(cov2).pow(2).sum() / d
    return sim_w * inv + var_w * var + cov_w * cov, (inv, var, cov)


if __name__ == "__main__":
    torch.manual_seed(0)
    encoder = nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 4))
    opt = torch.optim.SGD(encoder.parameters(), lr=0.01)
    x = torch.randn(10, 6)
    for step in range(3):
        v1 = x + 0.1 * torch.randn_like(x)
        v2 = x * (1 + 0.1 * torch.randn_like(x))
        loss, (inv, var, cov) = vicreg(encoder(v1), encoder(v2))
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"step {step}: loss {loss.item():8.4f} | inv {inv.item():.4f} var {var.item():.4f} cov {cov.item():.4f}")
