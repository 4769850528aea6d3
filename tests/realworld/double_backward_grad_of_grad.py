x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
y = (x ** 3 + torch.sin(x)).sum()
(dy,) = torch.autograd.grad(y, x, create_graph=True)
(d2y,) = torch.autograd.grad(dy.sum(), x, create_graph=True)
d3y = torch.autograd.grad(d2y.sum(), x)[0]
print(dy)
print(d2y)
print(d3y)
z = torch.tensor(2.0, requires_grad=True)
f = z ** 4
g1 = torch.autograd.grad(f, z, create_graph=True)[0]
g1.backward()
print(g1.item(), z.grad.item())
