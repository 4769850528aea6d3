import torch
import torch.nn as nn
import torch.nn.utils.parametrize as P

class LowRank(nn.Module):
    def __init__(self, rank):
        super().__init__()
        self.rank = rank

    def forward(self, X):
        return X[:, :self.rank] @ X[:, self.rank:].T

    def right_inverse(self, W):
        U, S, Vh = torch.linalg.svd(W)
        r = self.rank
        return torch.cat([U[:, :r] * S[:r].sqrt(), Vh[:r].T * S[:r].sqrt()], dim=1)

torch.manual_seed(0)
lin = nn.Linear(4, 4)
P.register_parametrization(lin, "weight", LowRank(2), unsafe=True)
print(lin.parametrizations.weight.original.shape)
print(torch.linalg.matrix_rank(lin.weight).item())
x = torch.randn(3, 4)
out = lin(x).sum()
out.backward()
print(lin.parametrizations.weight.original.grad)
