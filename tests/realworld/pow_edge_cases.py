torch.manual_seed(112)
x = torch.tensor([0.0, 1.0, 2.0, -1.5], requires_grad=True)
y = torch.tensor([0.0, 2.0, 0.5, 3.0], requires_grad=True)
p0 = x ** 0
p2 = x ** 2.0
pxy = x.abs() ** y
p2x = 2 ** x
sq = torch.sqrt(x.abs() + 1e-12)
loss = p0.sum() + p2.sum() + pxy.sum() + p2x.sum() + sq.sum()
loss.backward()
print(pxy)
print(x.grad)
print(y.grad)
base = torch.tensor([0.0, 0.0, 3.0], requires_grad=True)
e = torch.tensor([2.0, 0.0, -1.0], requires_grad=True)
r = torch.pow(base, e)
r.sum().backward()
print(r, base.grad, e.grad)
