import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(17)
np.random.seed(17)
net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
opt = torch.optim.SGD(net.parameters(), lr=0.1)
x = torch.randn(6, 4)
y = torch.tensor([0, 1, 2, 0, 1, 2])
for step in range(2):
    lam = float(np.random.beta(0.4, 0.4))
    idx = torch.randperm(x.size(0))
    mixed = lam * x + (1 - lam) * x[idx]
    out = net(mixed)
    loss = lam * F.cross_entropy(out, y) + (1 - lam) * F.cross_entropy(out, y[idx])
    opt.zero_grad(); loss.backward(); opt.step()
    print(f"lam={lam:.3f} idx={idx.tolist()} loss={loss.item():.4f}")
