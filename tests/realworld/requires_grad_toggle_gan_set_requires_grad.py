import torch
import torch.nn as nn


def set_requires_grad(nets, requires_grad=False):
    if not isinstance(nets, list):
        nets = [nets]
    for net in nets:
        if net is not None:
            for param in net.parameters():
                param.requires_grad = requires_grad


torch.manual_seed(10)
netG = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3))
netD = nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 1))
optimizer_G = torch.optim.Adam(netG.parameters(), lr=2e-3, betas=(0.5, 0.999))
optimizer_D = torch.optim.Adam(netD.parameters(), lr=2e-3, betas=(0.5, 0.999))
criterion = nn.BCEWithLogitsLoss()
real = torch.randn(4, 3)
for it in range(2):
    z = torch.randn(4, 2)
    fake = netG(z)
    # update D
    set_requires_grad(netD, True)
    optimizer_D.zero_grad()
    pred_fake = netD(fake.detach())
    pred_real = netD(real)
    loss_D = 0.5 * (
        criterion(pred_fake, torch.zeros_like(pred_fake)) + criterion(pred_real, torch.ones_like(pred_real))
    )
    loss_D.backward()
    optimizer_D.step()
    # update G
    set_requires_grad(netD, False)
    optimizer_G.zero_grad()
    pred_fake = netD(fake)
    loss_G = criterion(pred_fake, torch.ones_like(pred_fake))
    loss_G.backward()
    optimizer_G.step()
    print(f"[{it}] loss_D {loss_D.item():.4f} loss_G {loss_G.item():.4f}")
print(netD[0].weight.requires_grad, netD[0].weight.grad.abs().sum().item() > 0)
