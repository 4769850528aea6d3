# PINN for u'' = -pi^2 sin(pi x) with ELU and SiLU layers, second derivative by autograd.grad.
import math
import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Sequential(
    nn.Linear(1, 8), nn.ELU(), nn.Linear(8, 8), nn.SiLU(), nn.Linear(8, 8), nn.Softsign(), nn.Linear(8, 1)
)
opt = torch.optim.Adam(net.parameters(), lr=1e-2)
x = torch.linspace(0, 1, 9).unsqueeze(1).requires_grad_(True)
for epoch in range(3):
    u = net(x)
    du = torch.autograd.grad(u, x, torch.ones_like(u), create_graph=True)[0]
    d2u = torch.autograd.grad(du, x, torch.ones_like(du), create_graph=True)[0]
    residual = d2u + math.pi**2 * torch.sin(math.pi * x)
    bc = net(torch.tensor([[0.0], [1.0]]))
    loss = residual.pow(2).mean() + bc.pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: pde={residual.pow(2).mean().item():.4f} bc={bc.pow(2).mean().item():.6f}")
