import torch.nn.utils.parametrize as P


class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)


torch.manual_seed(163)
cell = nn.Linear(3, 3, bias=False)
P.register_parametrization(cell, "weight", Symmetric())
h = torch.randn(2, 3)
with P.cached():
    for _ in range(3):
        h = torch.tanh(cell(h))
loss = h.pow(2).sum()
loss.backward()
print(h)
print(cell.parametrizations.weight.original.grad)
print(P.is_parametrized(cell), torch.allclose(cell.weight, cell.weight.T))
P.remove_parametrizations(cell, "weight", leave_parametrized=True)
print(P.is_parametrized(cell), type(cell.weight).__name__)
out = cell(torch.ones(1, 3)).sum()
out.backward()
print(cell.weight.grad)
