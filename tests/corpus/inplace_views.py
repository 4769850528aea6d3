base = torch.zeros(2, 3, requires_grad=True)
x = base.clone()
row = x[0]
row.add_(torch.tensor([1.0, 2.0, 3.0]))
x[1, 1:] = x[0, :2] * 2
col = x[:, 2]
col.mul_(5)
out = (x ** 2).sum()
out.backward()
print(x, base.grad)
