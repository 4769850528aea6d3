a = torch.randn(3, 1, requires_grad=True)
b = torch.randn(1, 4, requires_grad=True)
grid = a * b + a
picked = grid[1:, ::2]
joined = torch.cat([picked, grid[:1, :2]], dim=0)
masked = torch.where(joined > 0, joined, joined * 0.1)
total = masked.sum() + a[0, 0] ** 3
total.backward()
