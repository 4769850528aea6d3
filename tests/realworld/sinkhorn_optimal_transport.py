import torch

torch.manual_seed(0)
x = torch.randn(5, 2, requires_grad=True)
y = torch.randn(6, 2)
a = torch.full((5,), 1 / 5)
b = torch.full((6,), 1 / 6)
eps = 0.1
C = torch.cdist(x, y) ** 2
log_K = -C / eps
f = torch.zeros(5)
g = torch.zeros(6)
for i in range(20):
    f = eps * (torch.log(a) - torch.logsumexp(log_K + g[None, :] / eps, dim=1))
    g = eps * (torch.log(b) - torch.logsumexp(log_K + f[:, None] / eps, dim=0))
P = torch.exp(log_K + f[:, None] / eps + g[None, :] / eps)
cost = (P * C).sum()
cost.backward()
print("transport cost:", round(cost.item(), 5))
print("row sums:", P.sum(1))
print(x.grad)
