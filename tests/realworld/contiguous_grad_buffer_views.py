import torch
import torch.nn as nn

# Gradients kept in one flat buffer (as fused optimizers and ZeRO-style code do): each .grad is a view of it.
torch.manual_seed(61)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
params = list(model.parameters())
flat_grads = torch.zeros(sum(p.numel() for p in params))
offset = 0
for p in params:
    n = p.numel()
    p.grad = flat_grads[offset : offset + n].view_as(p)
    offset += n
snapshot_before = flat_grads.clone()
x = torch.randn(5, 3)
loss = model(x).pow(2).mean()
loss.backward()
print("buffer filled in place:", flat_grads.abs().sum().item() > 0, model[0].weight.grad._base is flat_grads)
loss2 = model(x).sum()
loss2.backward()
norm = flat_grads.norm()
print(f"grad norm from the flat buffer: {norm.item():.5f}")
with torch.no_grad():
    flat_params = torch.cat([p.reshape(-1) for p in params])
    flat_params -= 0.1 * flat_grads
    offset = 0
    for p in params:
        p.copy_(flat_params[offset : offset + p.numel()].view_as(p))
        offset += p.numel()
    flat_grads.zero_()
print(model[2].bias, model[2].bias.grad)
