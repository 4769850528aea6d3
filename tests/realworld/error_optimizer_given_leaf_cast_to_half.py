import torch

x = torch.randn(2, 2, requires_grad=True)
x = x.to(torch.float16)
opt = torch.optim.SGD([x], lr=0.1)
