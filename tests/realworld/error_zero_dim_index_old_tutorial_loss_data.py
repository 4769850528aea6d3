import torch
import torch.nn as nn

torch.manual_seed(6)
model = nn.Linear(2, 1)
crit = nn.MSELoss()
x, y = torch.randn(3, 2), torch.randn(3, 1)
loss = crit(model(x), y)
loss.backward()
print(loss.dim(), loss.shape)
print("loss:", loss.item())
print("loss:", loss.data[0])  # 0.3-era tutorials: invalid index of a 0-dim tensor
