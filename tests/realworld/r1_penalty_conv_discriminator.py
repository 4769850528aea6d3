import torch
import torch.nn as nn

torch.manual_seed(4)
D = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(4 * 6 * 6, 1))
opt = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.0, 0.99))
real = torch.randn(3, 1, 6, 6)
for step in range(2):
    real.requires_grad_(True)
    logits = D(real)
    d_loss = nn.functional.softplus(-logits).mean()
    grad_real, = torch.autograd.grad(outputs=logits.sum(), inputs=real, create_graph=True)
    r1 = grad_real.pow(2).reshape(grad_real.shape[0], -1).sum(1).mean()
    total = d_loss + 10.0 / 2 * r1
    opt.zero_grad()
    total.backward()
    opt.step()
    print(f"step {step}: d_loss={d_loss.item():.4f} r1={r1.item():.4f}")
