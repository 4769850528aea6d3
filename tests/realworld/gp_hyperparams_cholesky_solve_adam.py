# GP regression: RBF kernel hyperparameters fitted by Adam on the negative log marginal likelihood (cholesky + cholesky_solve)
import math

import torch

torch.manual_seed(13)
X = torch.linspace(0, 1, 8).unsqueeze(1)
Y = torch.sin(6 * X).squeeze(1) + 0.1 * torch.randn(8)
log_ls = torch.tensor(-1.0, requires_grad=True)
log_sf = torch.tensor(0.0, requires_grad=True)
log_sn = torch.tensor(-2.0, requires_grad=True)
opt = torch.optim.Adam([log_ls, log_sf, log_sn], lr=0.05)


def kernel(a, b):
    d2 = (a - b.T) ** 2
    return log_sf.exp() ** 2 * torch.exp(-0.5 * d2 / log_ls.exp() ** 2)


for step in range(5):
    opt.zero_grad()
    K = kernel(X, X) + log_sn.exp() ** 2 * torch.eye(8)
    L = torch.linalg.cholesky(K)
    alpha = torch.cholesky_solve(Y.unsqueeze(1), L)
    nlml = 0.5 * (Y.unsqueeze(1) * alpha).sum() + L.diagonal().log().sum() + 4 * math.log(2 * math.pi)
    nlml.backward()
    opt.step()
    print(step, round(nlml.item(), 4))
Xs = torch.tensor([[0.25], [0.75]])
with torch.no_grad():
    Ks = kernel(Xs, X)
    mean = Ks @ alpha
    v = torch.linalg.solve_triangular(L, Ks.T, upper=False)
    var = log_sf.exp() ** 2 - (v ** 2).sum(0)
print(mean.squeeze(1), var)
