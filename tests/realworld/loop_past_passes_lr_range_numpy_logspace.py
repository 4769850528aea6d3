import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(1)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=1e-4)
x, y = torch.randn(16, 3), torch.randn(16, 1)
history = []
for lr in np.logspace(-4, 0, 110):
    for g in opt.param_groups:
        g["lr"] = float(lr)
    loss = nn.functional.mse_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    history.append((float(lr), loss.item()))
best = min(history, key=lambda h: h[1])
print(f"best lr {best[0]:.4g}", len(history))
print(model.weight.grad, loss)
