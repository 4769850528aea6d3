torch.manual_seed(41)
x = torch.randn(3, 4, 2, requires_grad=True)
t = torch.tensor([[1.0, 1.0, 3.0], [2.0, 0.0, 2.0]], requires_grad=True)
parts = [
    x.sum(dim=(0, 2)),
    x.mean(dim=-1, keepdim=True).flatten(),
    x.var(dim=(0, 1), correction=2),
    x.std(dim=1, keepdim=True, unbiased=False).flatten(),
    torch.var_mean(x, dim=0, correction=0)[0].flatten(),
    torch.std_mean(x, dim=(1, 2))[1],
    x.prod(dim=1).flatten(),
    t.prod(dim=0),
    t.prod(),
    x.amax(dim=(0, 1)),
    t.amax(dim=1),
    t.max(dim=1).values,
    t.min(),
    t.max(),
    x.logsumexp(dim=(1, 2)),
    x.norm(p=2, dim=(0, 2)),
    x.norm(p="fro"),
    t.norm(p=0.5),
    torch.linalg.norm(x, dim=(1, 2), ord="nuc") if False else torch.linalg.matrix_norm(x[..., 0], ord="fro"),
    x.cumsum(dim=1).flatten(),
    t.cumprod(dim=1).flatten(),
    x.cummax(dim=0).values.flatten(),
    torch.logcumsumexp(x, dim=2).flatten(),
    t.median(),
    t.median(dim=1).values,
    t.nanmean(dim=0),
    t.nansum(),
    x.mean(),
    torch.count_nonzero(t).float(),
    t.sum(dim=1, dtype=torch.float64).float(),
    x.softmax(dim=1).flatten(),
    x.log_softmax(dim=0, dtype=torch.float64).float().flatten(),
]
loss = sum((p * torch.linspace(0.5, 1.5, p.numel())).sum() for p in parts)
loss.backward()
print(x.grad.sum(), t.grad)
