torch.manual_seed(76)
x = torch.randn(3, 2, requires_grad=True)
y = x * 3
print(list(y[0]))
total = 0
for i, row in enumerate(y):
    total = total + row.max() * (i + 1)
    print(i, row)
for a, b in zip(y[:, 0], y[:, 1]):
    pass
print(a, b)
print(*y.sum(1), sep=" | ")
print(tuple(x.detach()[0]))
print(total)
total.backward()
print(x.grad)
