torch.manual_seed(27)
x = torch.randn(5, requires_grad=True)
mask = x > 0
counts = mask.sum()
idx = torch.arange(5)
weights = (idx % 2 == 0).float() + mask.long()
y = x * weights + mask
z = y[mask]
n = (counts + 1).item()
loss = z.sum() / n + (x * idx).sum()
loss.backward()
print(mask.dtype, counts, weights.dtype, y.dtype)
print(x.grad)
