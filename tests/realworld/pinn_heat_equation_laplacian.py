# PINN: u_t = k * u_xx  (열 방정식)
torch.manual_seed(27)
net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
k = 0.1
xt = torch.rand(8, 2, requires_grad=True)
u = net(xt)
du = torch.autograd.grad(u, xt, grad_outputs=torch.ones_like(u), create_graph=True)[0]
u_x, u_t = du[:, 0:1], du[:, 1:2]
u_xx = torch.autograd.grad(u_x, xt, torch.ones_like(u_x), create_graph=True)[0][:, 0:1]
residual = u_t - k * u_xx
x0 = torch.cat([torch.linspace(0, 1, 5).unsqueeze(1), torch.zeros(5, 1)], dim=1)
ic = net(x0) - torch.sin(torch.pi * x0[:, :1])
loss_pde = residual.pow(2).mean()
loss_ic = ic.pow(2).mean()
loss = loss_pde + 10 * loss_ic
loss.backward()
print(f"pde={loss_pde.item():.6f} ic={loss_ic.item():.6f}")
print(net[0].weight.grad)
print(xt.grad.shape)
