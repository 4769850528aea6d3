import torch
import torch.nn as nn

torch.manual_seed(54)
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
loss = model(torch.randn(4, 2)).abs().mean()
loss.backward()
for name, p in model.named_parameters():
    print(f"{name:10s} {tuple(p.shape)} grad-norm {p.grad.norm():.4f}")
for layer in model:
    pass
print(name, p is model[2].bias, layer)
