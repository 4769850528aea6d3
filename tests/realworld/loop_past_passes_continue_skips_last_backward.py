import torch
import torch.nn as nn

torch.manual_seed(1)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
data = [(torch.randn(4, 3), torch.randn(4, 1)) for _ in range(110)]
data[-1] = (torch.full((4, 3), float("nan")), torch.zeros(4, 1))  # a corrupt last batch
skipped = 0
for i, (xb, yb) in enumerate(data):
    out = model(xb)
    loss = nn.functional.mse_loss(out, yb)
    if not torch.isfinite(loss):
        skipped += 1
        continue
    opt.zero_grad()
    loss.backward()
    opt.step()
print(i, skipped, loss)
print(model.weight.grad, out[0])
