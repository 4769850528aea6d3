x = torch.tensor(1.0, requires_grad=True)
y = x
for step in range(20_000):
    y = y * 1.0001
y.backward()
