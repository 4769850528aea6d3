x = torch.tensor([0.5, -1.5, 2.0, -0.1], requires_grad=True)
mask = x > 0
print(mask, mask.requires_grad, mask.grad_fn)
counts = mask.int()
y = x * mask
z = (x * counts).sum() + y.sum()
idx = torch.nonzero(mask).squeeze(1)
picked = x[idx]
total = z + picked.pow(2).sum()
total.backward()
print(x.grad)
print(counts.dtype, idx)
try:
    mask.float().requires_grad_()
    counts.requires_grad_()
except RuntimeError as e:
    print("error:", e)
