# PINN for the 2-D Poisson equation: the Laplacian from two autograd.grad calls per coordinate, boundary loss, LBFGS-free Adam
import math

import torch
import torch.nn as nn

torch.manual_seed(14)
net = nn.Sequential(nn.Linear(2, 10), nn.Tanh(), nn.Linear(10, 10), nn.Tanh(), nn.Linear(10, 1))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)


def laplacian(u, xy):
    g = torch.autograd.grad(u, xy, torch.ones_like(u), create_graph=True)[0]
    u_xx = torch.autograd.grad(g[:, 0], xy, torch.ones_like(g[:, 0]), create_graph=True)[0][:, 0]
    u_yy = torch.autograd.grad(g[:, 1], xy, torch.ones_like(g[:, 1]), create_graph=True)[0][:, 1]
    return u_xx + u_yy


for epoch in range(2):
    xy = torch.rand(6, 2, requires_grad=True)
    u = net(xy)
    f = -2 * math.pi ** 2 * torch.sin(math.pi * xy[:, 0]) * torch.sin(math.pi * xy[:, 1])
    res = laplacian(u, xy) - f
    edge = torch.rand(4, 2)
    edge[:, 0] = torch.tensor([0.0, 1.0, 0.0, 1.0])
    bc = net(edge).squeeze(1)
    loss = res.pow(2).mean() + 10 * bc.pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, f"{loss.item():.5f}")
print(res.detach())
