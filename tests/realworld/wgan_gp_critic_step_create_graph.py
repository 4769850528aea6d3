import torch
import torch.nn as nn
from torch import autograd

torch.manual_seed(27)
critic = nn.Sequential(nn.Linear(2, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
opt_c = torch.optim.Adam(critic.parameters(), lr=1e-3, betas=(0.0, 0.9))
real = torch.randn(4, 2) + 2
fake = torch.randn(4, 2)
LAMBDA = 10


def calc_gradient_penalty(netD, real_data, fake_data):
    alpha = torch.rand(real_data.size(0), 1)
    alpha = alpha.expand(real_data.size())
    interpolates = alpha * real_data + ((1 - alpha) * fake_data)
    interpolates = autograd.Variable(interpolates, requires_grad=True)
    disc_interpolates = netD(interpolates)
    gradients = autograd.grad(
        outputs=disc_interpolates,
        inputs=interpolates,
        grad_outputs=torch.ones(disc_interpolates.size()),
        create_graph=True,
        retain_graph=True,
        only_inputs=True,
    )[0]
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean() * LAMBDA


for i in range(2):
    critic.zero_grad()
    D_real = critic(real).mean()
    D_fake = critic(fake).mean()
    gradient_penalty = calc_gradient_penalty(critic, real, fake)
    D_cost = D_fake - D_real + gradient_penalty
    D_cost.backward()
    opt_c.step()
    print(i, round(D_cost.item(), 5), round(gradient_penalty.item(), 5))
