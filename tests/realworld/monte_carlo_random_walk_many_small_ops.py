# A Monte Carlo estimate with thousands of tiny tensor ops (no grad), then a small fit with autograd.
import torch

torch.manual_seed(0)
pos = torch.zeros(())
hits = 0
for step in range(20000):
    pos = pos + (torch.rand(()) - 0.5)
    if pos.abs() > 10:
        hits += 1
        pos = torch.zeros(())
print("resets:", hits, "final position:", round(pos.item(), 4))

theta = torch.tensor(0.0, requires_grad=True)
samples = torch.randn(1000) * 2 + 3
nll = ((samples - theta) ** 2).mean()
nll.backward()
print(f"theta.grad = {theta.grad.item():.4f}")
