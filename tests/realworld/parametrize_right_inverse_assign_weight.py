# A parametrization with right_inverse: assigning to layer.weight goes through it.
import torch
import torch.nn as nn
import torch.nn.utils.parametrize as P


class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)

    def right_inverse(self, A):
        return A.triu()


class PositiveExp(nn.Module):
    def forward(self, X):
        return X.exp()

    def right_inverse(self, Y):
        return Y.log()


layer = nn.Linear(3, 3)
P.register_parametrization(layer, "weight", Symmetric())
P.register_parametrization(layer, "bias", PositiveExp())
with torch.no_grad():
    layer.weight = torch.eye(3) * 2 + 0.5
    layer.bias = torch.tensor([1.0, 2.0, 3.0])
print(layer.weight)
print(layer.parametrizations.bias.original)
x = torch.ones(2, 3)
out = layer(x).sum()
out.backward()
print(layer.parametrizations.weight.original.grad)
print(layer.parametrizations.bias.original.grad)
print(P.is_parametrized(layer), P.is_parametrized(layer, "bias"))
P.remove_parametrizations(layer, "bias", leave_parametrized=True)
print(type(layer.bias).__name__, layer.bias)
