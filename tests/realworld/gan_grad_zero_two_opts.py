import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)
netG = nn.Sequential(nn.Linear(3, 6), nn.ReLU(), nn.Linear(6, 2))
netD = nn.Sequential(nn.Linear(2, 5), nn.Tanh(), nn.Linear(5, 1))
optG = torch.optim.SGD(netG.parameters(), lr=0.05, momentum=0.5)
optD = torch.optim.SGD(netD.parameters(), lr=0.05)
schedG = torch.optim.lr_scheduler.StepLR(optG, step_size=1, gamma=0.5)
real_data = torch.randn(4, 2) * 0.5 + 1.0
# first backward so that .grad exists (DCGAN-style code zeros it manually)
for p in netD.parameters():
    p.grad = torch.zeros_like(p)
for it in range(3):
    z = torch.randn(4, 3)
    fake = netG(z)
    # --- D step: manual zeroing ---
    for p in netD.parameters():
        p.grad.zero_()
    errD_real = F.binary_cross_entropy_with_logits(netD(real_data), torch.ones(4, 1))
    errD_fake = F.binary_cross_entropy_with_logits(netD(fake.detach()), torch.zeros(4, 1))
    errD = (errD_real + errD_fake) / 2
    errD.backward()
    optD.step()
    # --- G step ---
    optG.zero_grad(set_to_none=False)
    errG = F.binary_cross_entropy_with_logits(netD(fake), torch.ones(4, 1))
    errG.backward()
    optG.step()
    schedG.step()
    print(f"[{it}/3] Loss_D: {errD.item():.4f} Loss_G: {errG.item():.4f} lr_G={schedG.get_last_lr()[0]}")
print(netD[0].weight.grad)
print(netG[2].bias.grad)
