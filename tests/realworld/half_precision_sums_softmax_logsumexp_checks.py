import torch

torch.manual_seed(1)
x = (torch.randn(3, 6) * 4).half().requires_grad_()
w = torch.randn(6, 4).half().requires_grad_()
h = x @ w
p = torch.softmax(h, dim=-1)
lse = torch.logsumexp(h, dim=0)
m = h.mean()
v = h.var(dim=1)
n = torch.linalg.vector_norm(h, dim=1)
loss = (p * torch.arange(4, dtype=torch.half)).sum() + lse.sum() + m + v.sum() + n.sum()
loss.backward()
print(loss.dtype, loss)
print(x.grad)
print(w.grad)
