import torch.nn.utils.parametrize as P
torch.manual_seed(14)

class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)

layer = nn.Linear(3, 3)
P.register_parametrization(layer, "weight", Symmetric())
x = torch.randn(2, 3)
out = layer(x)
loss = out.sum()
loss.backward()
print(P.is_parametrized(layer), torch.allclose(layer.weight, layer.weight.T))
print(layer.parametrizations.weight.original.grad)
