import contextlib

import torch
import torch.nn as nn

torch.manual_seed(46)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.01)
data = torch.randn(12, 4)
targets = torch.randint(0, 2, (12,))
accum_steps = 3
micro = 2
step_losses = []
for step, start in enumerate(range(0, 12, micro)):
    xb, yb = data[start : start + micro], targets[start : start + micro]
    sync = (step + 1) % accum_steps == 0
    ctx = contextlib.nullcontext() if sync else torch.enable_grad()
    with ctx:
        loss = nn.functional.cross_entropy(model(xb), yb) / accum_steps
        loss.backward()
    step_losses.append(loss.item() * accum_steps)
    if sync:
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0, error_if_nonfinite=True)
        opt.step()
        opt.zero_grad(set_to_none=True)
        print(f"update after micro-batch {step}: mean loss {sum(step_losses[-accum_steps:]) / accum_steps:.4f}")
print(model[0].weight.grad)
