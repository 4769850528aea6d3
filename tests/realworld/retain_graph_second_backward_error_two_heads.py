import torch
import torch.nn as nn

torch.manual_seed(47)
trunk = nn.Linear(4, 6)
head_a = nn.Linear(6, 1)
head_b = nn.Linear(6, 1)
x = torch.randn(3, 4)
features = torch.relu(trunk(x))
loss_a = head_a(features).pow(2).mean()
loss_b = head_b(features).abs().mean()
loss_a.backward()
print("head a done", trunk.weight.grad.abs().sum().item() > 0)
loss_b.backward()
print("never")
