import torch
import torch.nn as nn

torch.manual_seed(1)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
x = torch.tensor([[0.5, -1.0, 2.0, 0.1]])
baseline = torch.zeros_like(x)
steps = 16
alphas = torch.linspace(0, 1, steps).view(-1, 1)
path = baseline + alphas * (x - baseline)
path.requires_grad_(True)
out = model(path).sum()
grads, = torch.autograd.grad(out, path)
avg_grads = grads.mean(dim=0, keepdim=True)
attributions = (x - baseline) * avg_grads
print("attributions:", attributions)
delta = attributions.sum() - (model(x) - model(baseline)).sum()
print(f"completeness gap: {delta.item():.4f}")
