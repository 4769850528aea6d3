# Higher-order gradients: create_graph=True keeps the graph of the first derivative
x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
dy_dx, = torch.autograd.grad(y, x, create_graph=True)   # 3x^2 = 12
dy_dx.backward()                                        # d/dx 3x^2 = 6x = 12

print(dy_dx.item(), x.grad.item())
