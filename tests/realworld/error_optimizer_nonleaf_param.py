import torch

torch.manual_seed(66)
raw = torch.randn(3, requires_grad=True)
scale = raw * 10
print("scaled", scale.shape)
opt = torch.optim.SGD([scale], lr=0.1)
