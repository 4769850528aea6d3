x = torch.tensor([1.0, 2.0], requires_grad=True)
y = torch.tensor([3.0, 4.0], requires_grad=True)
unused = torch.tensor([5.0], requires_grad=True)
z = x * y + x ** 2
gx, gy, gu = torch.autograd.grad(z, [x, y, unused], grad_outputs=torch.tensor([1.0, 0.5]),
                                 retain_graph=True, allow_unused=True, materialize_grads=True)
print(gx, gy, gu)
gx2, = torch.autograd.grad(z.sum(), x)
print(gx2)
print(x.grad, y.grad, unused.grad)
