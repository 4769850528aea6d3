# An R1 penalty on a small discriminator with PReLU and reflection padding, fed by an upsampling generator.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
G = nn.Sequential(nn.Linear(4, 2 * 3 * 3), nn.Unflatten(1, (2, 3, 3)), nn.Upsample(scale_factor=2), nn.Conv2d(2, 1, 3, padding=1))
D = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(1, 3, 3), nn.PReLU(3), nn.AdaptiveMaxPool2d(2), nn.Flatten(), nn.Linear(12, 1))
opt_d = torch.optim.Adam(D.parameters(), lr=1e-3)

real = torch.randn(4, 1, 6, 6).requires_grad_(True)
fake = G(torch.randn(4, 4)).detach()
d_real = D(real)
(grad_real,) = torch.autograd.grad(d_real.sum(), real, create_graph=True)
r1 = grad_real.pow(2).flatten(1).sum(1).mean()
loss_d = F.softplus(-d_real).mean() + F.softplus(D(fake)).mean() + 5.0 * r1
opt_d.zero_grad()
loss_d.backward()
opt_d.step()
print(f"r1 = {r1.item():.5f}  loss_d = {loss_d.item():.5f}")
print("prelu slopes grad:", D[2].weight.grad)
