import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x.exp()
z = y.detach()
z.zero_()
print("y after zeroing detached copy:", y)
y.sum().backward()
