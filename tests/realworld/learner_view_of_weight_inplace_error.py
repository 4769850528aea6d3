import torch
import torch.nn as nn

torch.manual_seed(3)
layer = nn.Linear(3, 3)
print("before:", layer.weight[0])
# try to "prune" the first row by assigning into the parameter
try:
    layer.weight[0] = 0.0
except RuntimeError as e:
    print("RuntimeError:", e)
with torch.no_grad():
    layer.weight[0] = 0.0
print("after:", layer.weight[0])
x = torch.randn(2, 3)
out = layer(x).sum()
out.backward()
print(layer.weight.grad)
layer.weight[1] *= 2
