import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 1))
X = torch.randn(6, 3)
y = torch.tensor([3, 1, 4, 1, 5, 9]).unsqueeze(1)  # integer targets read from a CSV
criterion = nn.HuberLoss(delta=1.0)
pred = model(X)
print(pred.dtype, y.dtype)
loss = criterion(pred, y)
print("loss:", loss)
loss.backward()
print("not reached")
