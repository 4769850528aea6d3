import torch
import torch.nn as nn

torch.manual_seed(0)

def positional_encoding(x, n_freqs=3):
    out = [x]
    for i in range(n_freqs):
        out.append(torch.sin((2.0 ** i) * x))
        out.append(torch.cos((2.0 ** i) * x))
    return torch.cat(out, dim=-1)

mlp = nn.Sequential(nn.Linear(3 * 7, 16), nn.ReLU(), nn.Linear(16, 4))
rays_o = torch.zeros(4, 3)
rays_d = nn.functional.normalize(torch.randn(4, 3), dim=-1)
t_vals = torch.linspace(0.1, 2.0, 8)
pts = rays_o[:, None, :] + rays_d[:, None, :] * t_vals[None, :, None]
raw = mlp(positional_encoding(pts))
rgb = torch.sigmoid(raw[..., :3])
sigma = torch.relu(raw[..., 3])
deltas = torch.cat([t_vals[1:] - t_vals[:-1], torch.tensor([1e10])])
alpha = 1.0 - torch.exp(-sigma * deltas)
trans = torch.cumprod(torch.cat([torch.ones(4, 1), 1.0 - alpha + 1e-10], dim=-1), dim=-1)[:, :-1]
weights = alpha * trans
color = (weights[..., None] * rgb).sum(dim=1)
target = torch.rand(4, 3)
loss = ((color - target) ** 2).mean()
loss.backward()
print("color:\n", color)
print("loss:", loss.item())
