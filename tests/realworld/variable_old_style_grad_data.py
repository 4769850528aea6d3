from torch.autograd import Variable

x = Variable(torch.arange(4).float(), requires_grad=True)
w = torch.arange(1, 5).float().requires_grad_()
lr = 0.1
for step in range(3):
    y = (w * x).sum() ** 2
    y.backward()
    w.data -= lr * w.grad.data
    w.grad.data.zero_()
    x.grad.data.zero_()
print(type(x).__name__, x.requires_grad, w.is_leaf)
print(w)
print(x.grad, w.grad)
