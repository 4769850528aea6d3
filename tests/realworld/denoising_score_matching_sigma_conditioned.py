import torch
import torch.nn as nn

torch.manual_seed(10)
score_net = nn.Sequential(nn.Linear(3, 16), nn.Softplus(), nn.Linear(16, 2))
sigmas = torch.tensor([1.0, 0.5, 0.1])
opt = torch.optim.Adam(score_net.parameters(), lr=1e-2)
data = torch.randn(32, 2) * 0.5 + 1.0
for it in range(3):
    idx = torch.randint(0, len(sigmas), (data.shape[0],))
    sigma = sigmas[idx].unsqueeze(1)
    noise = torch.randn_like(data)
    noisy = data + sigma * noise
    score = score_net(torch.cat([noisy, sigma], dim=1))
    loss = 0.5 * ((score * sigma + noise) ** 2).sum(1).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(it, f"{loss.item():.4f}")
x = torch.zeros(4, 2)
step = 0.01
with torch.no_grad():
    for s in sigmas:
        for _ in range(3):
            inp = torch.cat([x, s.expand(4, 1)], dim=1)
            x = x + step * score_net(inp) + (2 * step) ** 0.5 * torch.randn_like(x)
print(x)
