import torch

torch.manual_seed(66)
a = torch.randn(2, 3, requires_grad=True)
b = torch.randn(4, 3)
ok = a @ b.T
result = ok.sum() + (a * b).sum()
