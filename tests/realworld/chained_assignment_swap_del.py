import torch

a = b = torch.ones(3, requires_grad=True)
c = a * 2
d = b + 1
c, d = d, c
e = (c * d).sum()
e.backward()
del b
tmp = c
del c
print(a.grad, tmp, d)
