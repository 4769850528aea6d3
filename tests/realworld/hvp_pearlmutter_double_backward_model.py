import torch
import torch.nn as nn

torch.manual_seed(26)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
x = torch.randn(6, 3)
y = torch.randn(6, 1)
params = [p for p in model.parameters() if p.requires_grad]
loss = nn.functional.mse_loss(model(x), y)
grads = torch.autograd.grad(loss, params, create_graph=True)
v = [torch.randn_like(p) for p in params]
gv = sum((g * vi).sum() for g, vi in zip(grads, v))
hv = torch.autograd.grad(gv, params, retain_graph=True)
print([tuple(h.shape) for h in hv])
# power iteration for the top eigenvalue of the Hessian
vec = [torch.randn_like(p) for p in params]
for it in range(5):
    norm = torch.sqrt(sum((vi**2).sum() for vi in vec))
    vec = [vi / norm for vi in vec]
    gv = sum((g * vi).sum() for g, vi in zip(grads, vec))
    hv = torch.autograd.grad(gv, params, retain_graph=True)
    eig = sum((h * vi).sum() for h, vi in zip(hv, vec))
    vec = [h.detach() for h in hv]
print(f"top eigenvalue ~ {eig.item():.5f}")
