import copy
import math
import torch
import torch.nn as nn

torch.manual_seed(5)
meta = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
meta_lr, inner_lr = 0.5, 0.02
for outer in range(3):
    phase = 0.3 * outer
    xs = torch.linspace(-math.pi, math.pi, 10).unsqueeze(1)
    ys = torch.sin(xs + phase)
    learner = copy.deepcopy(meta)
    opt = torch.optim.SGD(learner.parameters(), lr=inner_lr)
    for _ in range(3):
        loss = nn.functional.mse_loss(learner(xs), ys)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        for p_meta, p_task in zip(meta.parameters(), learner.parameters()):
            p_meta += meta_lr * (p_task - p_meta)
    print(outer, f"{loss.item():.4f}")
