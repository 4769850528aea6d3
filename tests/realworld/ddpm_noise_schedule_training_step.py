import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 50
betas = torch.linspace(1e-4, 0.02, T)
alphas = 1.0 - betas
alphas_cumprod = torch.cumprod(alphas, dim=0)
sqrt_ac = alphas_cumprod.sqrt()
sqrt_om = (1 - alphas_cumprod).sqrt()


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / half)
    args = t[:, None].float() * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class EpsModel(nn.Module):
    def __init__(self, d=2, h=16, temb=8):
        super().__init__()
        self.temb = temb
        self.net = nn.Sequential(nn.Linear(d + temb, h), nn.SiLU(), nn.Linear(h, d))

    def forward(self, x, t):
        return self.net(torch.cat([x, timestep_embedding(t, self.temb)], dim=-1))


torch.manual_seed(5)
model = EpsModel()
opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
x0 = torch.randn(16, 2) * 0.5 + torch.tensor([1.0, -1.0])
for it in range(3):
    t = torch.randint(0, T, (x0.shape[0],))
    noise = torch.randn_like(x0)
    xt = sqrt_ac[t, None] * x0 + sqrt_om[t, None] * noise
    loss = F.mse_loss(model(xt, t), noise)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    print(f"it {it} loss {loss.item():.4f}")


@torch.no_grad()
def p_sample(x, t_index):
    t = torch.full((x.shape[0],), t_index, dtype=torch.long)
    eps = model(x, t)
    mean = (x - betas[t_index] / sqrt_om[t_index] * eps) / alphas[t_index].sqrt()
    if t_index == 0:
        return mean
    return mean + betas[t_index].sqrt() * torch.randn_like(x)


x = torch.randn(4, 2)
for t_index in reversed(range(3)):
    x = p_sample(x, t_index)
print(x)
