import torch
import torch.nn as nn

torch.manual_seed(9)
model = nn.Linear(3, 1)
crit = nn.BCEWithLogitsLoss(reduction="none")
x = torch.randn(4, 3)
y = torch.tensor([[1.0], [0.0], [1.0], [1.0]])
per_sample = crit(model(x), y)
weights = torch.tensor([[1.0], [2.0], [1.0], [0.5]])
loss = (per_sample * weights).mean()
loss.backward()
print(per_sample.shape, round(loss.item(), 4))
print(model.bias.grad)
print(per_sample.item())
