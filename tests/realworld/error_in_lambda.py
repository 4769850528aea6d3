x = torch.randn(3, requires_grad=True)
square = lambda t: t ** 2
scale = lambda t: t @ torch.ones(2)
y = square(x)
z = scale(y)
