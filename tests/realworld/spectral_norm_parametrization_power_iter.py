import torch
import torch.nn as nn
from torch.nn.utils.parametrizations import spectral_norm

torch.manual_seed(36)
lin = spectral_norm(nn.Linear(4, 4), n_power_iterations=2)
x = torch.randn(3, 4)
lin.train()
y = lin(x)
s1 = torch.linalg.matrix_norm(lin.weight.detach(), ord=2)
y.sum().backward()
print(round(s1.item(), 3))
print(lin.parametrizations.weight.original.grad)
lin.eval()
with torch.no_grad():
    z = lin(x)
print(z)
