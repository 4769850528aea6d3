import torch
from torch.autograd import Variable

# (old PyTorch 0.3 tutorial style)
torch.manual_seed(0)
x = Variable(torch.randn(8, 2))
y = Variable(x.data[:, :1] * 3 - 1)
w = Variable(torch.randn(2, 1), requires_grad=True)
b = Variable(torch.zeros(1), requires_grad=True)
learning_rate = 0.1
for t in range(3):
    y_pred = x.mm(w) + b
    loss = (y_pred - y).pow(2).sum()
    print(t, loss.data.item())
    loss.backward()
    w.data -= learning_rate * w.grad.data
    b.data -= learning_rate * b.grad.data
    w.grad.data.zero_()
    b.grad.data.zero_()
frozen = Variable(w.data)
print(frozen.requires_grad, w)
