import math
import torch
import torch.nn as nn

torch.manual_seed(0)


class AffineCoupling(nn.Module):
    def __init__(self, dim, mask):
        super().__init__()
        self.register_buffer("mask", mask)
        self.s = nn.Sequential(nn.Linear(dim, 16), nn.Tanh(), nn.Linear(16, dim))
        self.t = nn.Sequential(nn.Linear(dim, 16), nn.ReLU(), nn.Linear(16, dim))

    def forward(self, x):
        x_m = x * self.mask
        s = self.s(x_m) * (1 - self.mask)
        t = self.t(x_m) * (1 - self.mask)
        y = x_m + (1 - self.mask) * (x * torch.exp(s) + t)
        log_det = s.sum(dim=1)
        return y, log_det


class Flow(nn.Module):
    def __init__(self):
        super().__init__()
        masks = [torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])] * 2
        self.layers = nn.ModuleList([AffineCoupling(2, m) for m in masks])

    def forward(self, x):
        log_det_total = torch.zeros(x.shape[0])
        for layer in self.layers:
            x, ld = layer(x)
            log_det_total = log_det_total + ld
        return x, log_det_total


def log_prob_standard_normal(z):
    return -0.5 * (z ** 2).sum(1) - z.shape[1] * 0.5 * math.log(2 * math.pi)


flow = Flow()
opt = torch.optim.Adam(flow.parameters(), lr=1e-3)
data = torch.randn(32, 2) * torch.tensor([2.0, 0.5]) + torch.tensor([1.0, -1.0])
for it in range(4):
    z, log_det = flow(data)
    nll = -(log_prob_standard_normal(z) + log_det).mean()
    opt.zero_grad()
    nll.backward()
    opt.step()
    print(f"iter {it} nll {nll.item():.4f}")
print(flow.layers[0].mask, list(dict(flow.named_buffers()).keys()))
# planar flow log det by hand
w = torch.randn(2, requires_grad=True)
u = torch.randn(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
zz = torch.randn(5, 2)
lin = zz @ w + b
f = zz + u * torch.tanh(lin).unsqueeze(1)
psi = (1 - torch.tanh(lin) ** 2).unsqueeze(1) * w
logdet = torch.log(torch.abs(1 + psi @ u))
logdet.mean().backward()
print(w.grad, u.grad, b.grad)
