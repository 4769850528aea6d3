import torch

x = torch.linspace(-1, 1, 5, requires_grad=True)
y = x ** 3 - 2 * x
dy = torch.autograd.grad(y.sum(), x, create_graph=True)[0]
print("dy/dx:", dy)
d2y = torch.autograd.grad(dy, x)[0]   # dy is a vector -> needs grad_outputs
print(d2y)
