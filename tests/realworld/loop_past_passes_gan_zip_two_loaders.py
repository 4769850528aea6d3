import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
domain_a = DataLoader(TensorDataset(torch.randn(64, 2) + 2), batch_size=8, shuffle=True)
domain_b = DataLoader(TensorDataset(torch.randn(64, 2) - 2), batch_size=8, shuffle=True)
G = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
D = nn.Sequential(nn.Linear(2, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
for epoch in range(10):
    for (a,), (b,) in zip(domain_a, domain_b):
        fake_b = G(a)
        d_real = D(b)
        d_fake = D(fake_b.detach())
        loss_d = bce(d_real, torch.ones_like(d_real)) + bce(d_fake, torch.zeros_like(d_fake))
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        g_out = D(fake_b)
        loss_g = bce(g_out, torch.ones_like(g_out)) + 0.1 * (fake_b - a).abs().mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
    if epoch % 3 == 0:
        print(f"epoch {epoch} D {loss_d.item():.3f} G {loss_g.item():.3f}")
print(fake_b.shape, loss_g, loss_d)
