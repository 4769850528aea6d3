from torch.autograd import Variable
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
copy = Variable(y.data, requires_grad=True)
z = (copy ** 2).sum()
z.backward()
print(copy.grad, x.grad)
