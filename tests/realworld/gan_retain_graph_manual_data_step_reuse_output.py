import torch
import torch.nn as nn

torch.manual_seed(1)
G = nn.Linear(2, 3)
D = nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 1))
crit = nn.BCEWithLogitsLoss()
real = torch.randn(5, 3)
z = torch.randn(5, 2)
lr = 0.1
fake = G(z)
out_real = D(real)
out_fake = D(fake)
errD = crit(out_real, torch.ones_like(out_real)) + crit(out_fake, torch.zeros_like(out_fake))
errD.backward(retain_graph=True)
for p in D.parameters():  # an old-style manual step through .data
    p.data -= lr * p.grad.data
    p.grad.data.zero_()
errG = crit(out_fake, torch.ones_like(out_fake))  # reuses D's output from before the step
G.zero_grad()
errG.backward()
print(G.weight.grad)
print(D[0].weight.grad.abs().sum())
