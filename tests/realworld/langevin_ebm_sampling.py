import torch
import torch.nn as nn

torch.manual_seed(0)
energy = nn.Sequential(nn.Linear(2, 16), nn.SiLU(), nn.Linear(16, 1))
opt = torch.optim.Adam(energy.parameters(), lr=1e-3)
data = torch.randn(8, 2) * 0.5 + 1.0

def langevin(x, steps=5, step_size=0.1):
    x = x.clone().detach()
    for _ in range(steps):
        x.requires_grad_(True)
        e = energy(x).sum()
        g, = torch.autograd.grad(e, x)
        x = (x - step_size * g + 0.01 * torch.randn_like(x)).detach()
    return x

for it in range(3):
    neg = langevin(torch.randn(8, 2))
    loss = energy(data).mean() - energy(neg).mean() + 0.1 * (energy(data) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"iter {it} cd loss {loss.item():+.4f}")
print(neg[:2])
