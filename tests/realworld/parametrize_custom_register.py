import torch.nn.utils.parametrize as P


class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)


class PositiveDiag(nn.Module):
    def forward(self, X):
        return X - torch.diag(X.diagonal()) + torch.diag(F.softplus(X.diagonal()))


torch.manual_seed(17)
layer = nn.Linear(3, 3, bias=False)
P.register_parametrization(layer, "weight", Symmetric())
P.register_parametrization(layer, "weight", PositiveDiag())
print(P.is_parametrized(layer), P.is_parametrized(layer, "bias"))
x = torch.randn(2, 3)
y = layer(x)
loss = (y ** 2).mean()
loss.backward()
W = layer.weight
print(torch.allclose(W, W.T))
print(layer.parametrizations.weight.original.grad)
