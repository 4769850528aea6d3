# PINN-ish: u(t) network, residual du/dt + u = 0, gradient of gradient through create_graph
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
t = torch.linspace(0, 1, 6).unsqueeze(1).requires_grad_(True)
u = net(t)
du_dt, = torch.autograd.grad(u, t, grad_outputs=torch.ones_like(u), create_graph=True)
residual = du_dt + u
u0 = net(torch.zeros(1, 1))
loss = residual.pow(2).mean() + (u0 - 1).pow(2).mean()
loss.backward()
print("loss", round(loss.item(), 5))
for name, p in net.named_parameters():
    print(name, p.grad.norm().item() > 0, tuple(p.grad.shape))
print(t.grad.shape)
print(t.grad)
