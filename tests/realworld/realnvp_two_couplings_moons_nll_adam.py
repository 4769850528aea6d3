# A tiny RealNVP-like flow trained for a few steps on 2-D moons-like data: log-det summed over layers
import math

import torch
import torch.nn as nn

torch.manual_seed(12)


class Coupling(nn.Module):
    def __init__(self, mask):
        super().__init__()
        self.register_buffer("mask", mask)
        self.s = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2))
        self.t = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))

    def forward(self, x):
        xm = x * self.mask
        s = self.s(xm) * (1 - self.mask)
        t = self.t(xm) * (1 - self.mask)
        y = xm + (1 - self.mask) * (x * torch.exp(s) + t)
        return y, s.sum(dim=1)


layers = nn.ModuleList([Coupling(torch.tensor([1.0, 0.0])), Coupling(torch.tensor([0.0, 1.0]))] * 1)
opt = torch.optim.Adam(layers.parameters(), lr=1e-2)
theta = torch.rand(32) * math.pi
data = torch.stack([theta.cos(), theta.sin()], 1) + 0.05 * torch.randn(32, 2)
for it in range(4):
    z, log_det = data, torch.zeros(32)
    for layer in layers:
        z, ld = layer(z)
        log_det = log_det + ld
    log_pz = -0.5 * (z ** 2).sum(1) - math.log(2 * math.pi)
    nll = -(log_pz + log_det).mean()
    opt.zero_grad()
    nll.backward()
    opt.step()
    print(f"it {it}: nll {nll.item():.4f}")
print(log_det[:4])
