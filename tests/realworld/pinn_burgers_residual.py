import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
nu = 0.01 / torch.pi
opt = torch.optim.Adam(net.parameters(), lr=1e-3)


def residual(x, t):
    u = net(torch.cat([x, t], dim=1))
    u_t = torch.autograd.grad(u, t, grad_outputs=torch.ones_like(u), retain_graph=True, create_graph=True)[0]
    u_x = torch.autograd.grad(u, x, grad_outputs=torch.ones_like(u), retain_graph=True, create_graph=True)[0]
    u_xx = torch.autograd.grad(u_x, x, grad_outputs=torch.ones_like(u_x), retain_graph=True, create_graph=True)[0]
    return u_t + u * u_x - nu * u_xx


x_f = (torch.rand(20, 1) * 2 - 1).requires_grad_(True)
t_f = torch.rand(20, 1).requires_grad_(True)
x0 = torch.rand(10, 1) * 2 - 1
t0 = torch.zeros(10, 1)
u0 = -torch.sin(torch.pi * x0)
for it in range(3):
    opt.zero_grad()
    f = residual(x_f, t_f)
    loss_f = (f ** 2).mean()
    loss_u = ((net(torch.cat([x0, t0], 1)) - u0) ** 2).mean()
    loss = loss_f + loss_u
    loss.backward()
    opt.step()
    print(f"It {it}: Loss {loss.item():.3e}, Loss_f {loss_f.item():.3e}, Loss_u {loss_u.item():.3e}")
print(x_f.grad.shape, t_f.grad.abs().sum() > 0)
