import torch
import torch.nn as nn
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 32), nn.GELU(), nn.Linear(32, 4))
x = torch.randn(8, 16)
counter = FlopCounterMode(display=False)
with counter:
    out = model(x)
    loss = out.square().mean()
    loss.backward()
total = counter.get_total_flops()
print(f"total flops fwd+bwd: {total}")
per_op = counter.get_flop_counts()["Global"]
for op, n in sorted(per_op.items(), key=lambda kv: str(kv[0])):
    print(f"  {str(op):30s} {n:>8d}")
print(loss, model[0].weight.grad.abs().sum())
