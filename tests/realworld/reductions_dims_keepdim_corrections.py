torch.manual_seed(180)
x = torch.randn(2, 3, 4, requires_grad=True)
parts = {
    "std0": x.std(dim=(0, 2), correction=0, keepdim=True).sum(),
    "var_mean": sum(t.sum() for t in torch.var_mean(x, dim=-1, correction=2)),
    "norm3": x.norm(p=3, dim=1).sum(),
    "lse": x.logsumexp(dim=(1, 2)).sum(),
    "amax": x.amax(dim=(-1, 0)).sum(),
    "amin_keep": x.amin(dim=1, keepdim=True).mean(),
    "nanmean": torch.where(x > 1, float("nan"), x).nanmean(dim=2).sum(),
    "median": x.median(dim=-1).values.sum(),
    "mean_dtype": x.mean(dim=0, dtype=torch.float64).sum().float(),
    "sum_neg": x.sum(dim=-2).pow(2).sum(),
    "prod_dim": (x + 2).prod(dim=1).sum(),
    "count": x.count_nonzero(dim=0).sum().float(),
}
total = sum(parts.values())
total.backward()
print({k: round(v.item(), 4) for k, v in parts.items()})
print(x.grad[0])
