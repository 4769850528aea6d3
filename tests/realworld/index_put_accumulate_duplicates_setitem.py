# Duplicate indices: x[idx] += v keeps one write, index_put_(accumulate=True) adds them all
torch.manual_seed(0)
base = torch.zeros(4, requires_grad=True)
vals = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
idx = torch.tensor([0, 0, 2])

a = base.clone()
a[idx] += vals
print("x[idx] += v      :", a)

b = base.clone()
b.index_put_((idx,), vals, accumulate=True)
print("index_put_ accum :", b)

c = base.clone().index_add(0, idx, vals)
print("index_add        :", c)

d = torch.zeros(4).scatter_reduce(0, idx, vals, reduce="amax", include_self=False)
print("scatter amax     :", d)

weights = torch.tensor([1.0, 10.0, 100.0, 1000.0])
loss = (a * weights).sum() + (b * weights).sum() + (c * weights).sum() + (d * weights).sum()
loss.backward()
print("vals.grad:", vals.grad)
print("base.grad:", base.grad)

bins = torch.zeros(3)
bins.index_put_((torch.tensor([1, 1, 1]),), torch.tensor(1.0), accumulate=True)
counts = torch.bincount(idx, minlength=4)
print(bins, counts, counts.dtype)
