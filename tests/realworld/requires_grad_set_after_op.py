torch.manual_seed(4)
x = torch.randn(3)
y = x * 2
x.requires_grad = True
z = x * 3
print(y.requires_grad, z.requires_grad)
z.sum().backward()
print(x.grad)
try:
    y.sum().backward()
except RuntimeError as e:
    print("y:", str(e).splitlines()[0])
y.requires_grad_()
(y ** 2).sum().backward()
print(y.grad, x.grad)
