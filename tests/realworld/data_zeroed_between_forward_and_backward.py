# Why .data is risky: a change through it is invisible to autograd, and backward uses the changed values.
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = a.sigmoid()
c = out.data
c.zero_()
out.sum().backward()
print(a.grad)  # zeros, silently: sigmoid's backward read out = 0

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2
x.data.mul_(10)
y.sum().backward()
print(x.grad)
