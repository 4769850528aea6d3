# Sliced score matching: a score network trained with random projections v, v^T J v from a second autograd.grad
import torch
import torch.nn as nn

torch.manual_seed(41)
score_net = nn.Sequential(nn.Linear(2, 16), nn.Softplus(), nn.Linear(16, 2))
opt = torch.optim.Adam(score_net.parameters(), lr=1e-3)
data = torch.randn(8, 2) @ torch.tensor([[1.0, 0.5], [0.0, 0.7]])
for step in range(3):
    x = data.clone().requires_grad_(True)
    v = torch.randn_like(x)
    s = score_net(x)
    sv = (s * v).sum()
    grad_sv = torch.autograd.grad(sv, x, create_graph=True)[0]
    loss1 = (grad_sv * v).sum(dim=1)
    loss2 = 0.5 * (s * v).sum(dim=1) ** 2
    loss = (loss1 + loss2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.4f}")
print(score_net[2].bias.grad, x.grad)
