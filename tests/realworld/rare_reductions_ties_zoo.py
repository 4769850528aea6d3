import torch
import torch.nn.functional as F

x = torch.tensor([[1.0, 3.0, 3.0, 2.0], [0.0, -1.0, 5.0, 5.0]], requires_grad=True)
outs = {
    "amax": x.amax(dim=1),
    "amin": x.amin(dim=1),
    "max_all": x.max(),
    "median": x.median(dim=1).values,
    "median_all": x.median(),
    "nanmedian": x.nanmedian(dim=1).values,
    "kthvalue": x.kthvalue(2, dim=1).values,
    "mode": x.mode(dim=1).values,
    "cummin": x.cummin(dim=1).values,
    "logcumsumexp": x.logcumsumexp(dim=1),
    "normalize": F.normalize(x, dim=1),
    "norm_inf": x.norm(p=float("inf"), dim=1),
    "norm_0": x.norm(p=0),
    "dist_inf": torch.dist(x[0], x[1], p=float("inf")),
    "std0": x.std(dim=1, correction=0),
    "var_mean": torch.var_mean(x, dim=0)[0],
    "logsumexp": x.logsumexp(dim=0),
    "prod": x.prod(dim=1),
    "topk": x.topk(2, dim=1).values,
    "sort": x.sort(dim=1, stable=True).values,
    "msort": torch.msort(x),
    "aminmax": torch.aminmax(x, dim=1).min,
}
for name, out in outs.items():
    x.grad = None
    out.sum().backward()
    print(f"{name:>12}: {None if x.grad is None else x.grad.tolist()}")
