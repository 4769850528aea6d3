import torch
import torch.nn as nn

torch.manual_seed(11)
net = nn.Linear(3, 1)
x = torch.randn(1, 3)
out = net(x)  # shape [1, 1]: one element, so backward() works without an argument
print(out.shape)
out.backward()
print(net.weight.grad)
v = torch.randn(2, 3, requires_grad=True)
y = v * 2
y.backward(torch.ones(3))  # wrong shape for the gradient
