import torch

x = torch.randn(4, requires_grad=True)
y = x.tanh()
print(y._version)
z = y ** 2
y += 0.5
print(y._version)
z.sum().backward()
