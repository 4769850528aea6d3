x = torch.arange(6.0, requires_grad=True)
parts = x.chunk(3)
total = sum(t.pow(2).sum() for t in parts)
squares = [t * t for t in parts]
total.backward()
print(total, x.grad)
