# WGAN-GP critic with LayerNorm (the paper advises against BatchNorm in the critic) and average pooling.
import torch
import torch.nn as nn

torch.manual_seed(0)


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.norm = nn.LayerNorm([4, 6, 6])
        self.act = nn.LeakyReLU(0.2)
        self.pool = nn.AvgPool2d(2)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(4, 1)

    def forward(self, x):
        h = self.pool(self.act(self.norm(self.conv(x))))
        return self.fc(self.gap(h).flatten(1))


critic = Critic()
opt = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.0, 0.9))
real = torch.randn(4, 1, 6, 6)
fake = torch.randn(4, 1, 6, 6) * 0.5
alpha = torch.rand(4, 1, 1, 1)
interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
d_interp = critic(interp)
(grad_x,) = torch.autograd.grad(d_interp.sum(), interp, create_graph=True)
gp = ((grad_x.flatten(1).norm(2, dim=1) - 1) ** 2).mean()
loss = critic(fake).mean() - critic(real).mean() + 10 * gp
opt.zero_grad()
loss.backward()
opt.step()
print(f"gp={gp.item():.5f} loss={loss.item():.5f}")
print(critic.norm.weight.grad.abs().sum().item() > 0)
