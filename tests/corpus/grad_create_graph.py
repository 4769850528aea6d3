x = torch.tensor(1.5, requires_grad=True)
y = x**3
(dy_dx,) = torch.autograd.grad(y, x, create_graph=True)
d2y_dx2 = dy_dx * 1.0
d2y_dx2.backward()
print(dy_dx.item(), x.grad.item())
