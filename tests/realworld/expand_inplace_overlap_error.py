import torch

torch.manual_seed(10)
bias = torch.randn(1, 3)
grid = bias.expand(4, 3)
print(grid.stride(), grid.is_contiguous())
safe = grid.clone()
safe.add_(1.0)
print(safe.sum())
w = torch.randn(3, requires_grad=True)
row = (w * 2).unsqueeze(0).expand(2, 3)
print(row)
row.mul_(3)  # every row is the same memory
