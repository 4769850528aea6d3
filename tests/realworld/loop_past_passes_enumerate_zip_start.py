import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
xs = [torch.randn(4, 2) for _ in range(150)]
ys = [x.sum(1, keepdim=True) for x in xs]
for step, (xb, yb) in enumerate(zip(xs, ys), start=1):
    out = model(xb)
    loss = (out - yb).abs().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 50 == 0:
        print(step, f"{loss.item():.4f}")
print(out, loss)
