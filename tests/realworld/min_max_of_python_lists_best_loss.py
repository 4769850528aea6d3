import torch

torch.manual_seed(8)
w = torch.randn(2, requires_grad=True)
losses = []
for step in range(4):
    loss = (w * (step + 1) - 1).pow(2).sum()
    losses.append(loss)
best = min(losses)  # compares 0-d tensors with Python's <
worst = max(losses, key=lambda t: t.item())
print(losses.index(best), round(worst.item(), 3))
best.backward()
print(w.grad)
ranked = sorted(losses, key=float)
print([round(float(t), 3) for t in ranked])
total = sum(losses, start=torch.zeros(()))
print(total)
