import torch
import torch.nn as nn

torch.manual_seed(49)
ok = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(inplace=True), nn.Linear(4, 1))
x = torch.randn(5, 3)
ok(x).sum().backward()
print("BatchNorm then inplace ReLU:", ok[0].weight.grad.shape)
bad = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.ReLU(inplace=True), nn.Linear(4, 1))
out = bad(x)
print(out.shape)
out.sum().backward()
print("never")
