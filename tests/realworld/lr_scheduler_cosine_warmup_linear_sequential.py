import torch
import torch.nn as nn
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR

torch.manual_seed(25)
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
warmup = LinearLR(optimizer, start_factor=0.1, total_iters=3)
cosine = CosineAnnealingLR(optimizer, T_max=5, eta_min=1e-3)
scheduler = SequentialLR(optimizer, schedulers=[warmup, cosine], milestones=[3])
X = torch.randn(8, 2)
y = X @ torch.tensor([[2.0], [-1.0]]) + 0.5
lrs = []
for epoch in range(8):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(X), y)
    loss.backward()
    optimizer.step()
    lrs.append(scheduler.get_last_lr()[0])
    scheduler.step()
print(" ".join(f"{lr:.4f}" for lr in lrs))
print(f"final loss {loss.item():.5f}")
print(model.weight.data, model.bias)
