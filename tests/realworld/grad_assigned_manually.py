x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
g0 = torch.full((3,), 10.0)
x.grad = g0
(x * x).sum().backward()
print(g0, x.grad is g0)
x.grad = None
(x ** 3).sum().backward()
print(x.grad)
