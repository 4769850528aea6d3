x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 3 - 2 * x
v = torch.tensor([0.1, 1.0, 0.0001])
y.backward(gradient=v)
print(x.grad)
x.grad.zero_()
J = torch.stack([x ** 2, x.sin()])
J.backward(torch.ones_like(J))
print(x.grad)
