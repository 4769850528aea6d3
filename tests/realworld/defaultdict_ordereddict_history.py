# Logging tensors into defaultdict(list) and an OrderedDict of per-layer gradient norms
from collections import OrderedDict, defaultdict

import torch
import torch.nn as nn

torch.manual_seed(2)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
history = defaultdict(list)
data = torch.randn(6, 3)
target = data.sum(1, keepdim=True)
for step in range(2):
    opt.zero_grad()
    out = model(data)
    loss = nn.functional.mse_loss(out, target)
    loss.backward()
    norms = OrderedDict((name, p.grad.norm()) for name, p in model.named_parameters())
    history["loss"].append(loss.detach())
    history["norms"].append(norms)
    opt.step()
print(dict(history)["loss"])
for k, v in norms.items():
    print(k, round(v.item(), 4))
