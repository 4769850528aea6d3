import torch
import torch.nn as nn
from torch.autograd.graph import save_on_cpu, saved_tensors_hooks

stats = {"packed": 0, "bytes_saved": 0}


def pack(t):
    stats["packed"] += 1
    if t.dtype == torch.float32 and t.numel() > 8:
        stats["bytes_saved"] += t.numel() * 2
        return ("half", t.half())
    return ("raw", t)


def unpack(packed):
    kind, t = packed
    return t.float() if kind == "half" else t


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 32), nn.Tanh(), nn.Linear(32, 1))
x = torch.randn(4, 16)
with saved_tensors_hooks(pack, unpack):
    loss_lossy = model(x).pow(2).mean()
loss_lossy.backward()
lossy = [p.grad.clone() for p in model.parameters()]
model.zero_grad()
with save_on_cpu(pin_memory=False):
    loss = model(x).pow(2).mean()
loss.backward()
exact = [p.grad for p in model.parameters()]
print(stats)
print([f"{(a - b).abs().max().item():.1e}" for a, b in zip(lossy, exact)])
print(loss.item() == loss_lossy.item())
