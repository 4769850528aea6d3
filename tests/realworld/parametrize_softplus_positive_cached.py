import torch
import torch.nn as nn
import torch.nn.utils.parametrize as P

class Positive(nn.Module):
    def forward(self, raw):
        return nn.functional.softplus(raw)

    def right_inverse(self, w):
        return torch.log(torch.expm1(w))

torch.manual_seed(35)
layer = nn.Linear(3, 2)
P.register_parametrization(layer, "weight", Positive())
print((layer.weight > 0).all().item())
x = torch.randn(4, 3)
with P.cached():
    y = layer(x) + layer(x * 2)
loss = y.sum()
loss.backward()
print(layer.parametrizations.weight.original.grad)
layer.weight = torch.full((2, 3), 0.5)
print(layer.weight)
