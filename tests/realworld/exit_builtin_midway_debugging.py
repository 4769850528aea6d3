import torch

x = torch.linspace(-1, 1, 5, requires_grad=True)
y = torch.tanh(3 * x)
y.sum().backward()
print(x.grad)
exit()
print("never printed")
z = x * 2
