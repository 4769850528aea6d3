x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = x * 2
y.add_(1)
y[0] = y[0] * 5
z = y.relu()
z.sum().backward()
