import torch
import torch.nn as nn
import torch.nn.utils.parametrize as P

class Skew(nn.Module):
    def forward(self, X):
        A = X.triu(1)
        return A - A.T

class MatrixExp(nn.Module):
    def forward(self, X):
        return torch.matrix_exp(X)

torch.manual_seed(0)
layer = nn.Linear(3, 3, bias=False)
P.register_parametrization(layer, "weight", Skew())
P.register_parametrization(layer, "weight", MatrixExp())
W = layer.weight
print(torch.allclose(W @ W.T, torch.eye(3), atol=1e-5))
x = torch.randn(2, 3)
loss = layer(x).sum()
loss.backward()
print(layer.parametrizations.weight.original.grad)
print(P.is_parametrized(layer, "weight"), type(layer).__name__)
