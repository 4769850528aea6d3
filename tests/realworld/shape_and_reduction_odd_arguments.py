torch.manual_seed(0)
a = torch.tensor([[0.0, 2.0, 2.0, -1.0], [3.0, 0.0, 1.0, 1.0], [0.0, 0.0, 4.0, -2.0]], requires_grad=True)
b = torch.randn(4, 3, requires_grad=True)
outs = {
    "prod_one_zero": a[1].prod(),
    "prod_two_zeros": a[2].prod(),
    "prod_dim": a.prod(1),
    "cumprod_zeros": a.cumprod(1),
    "logcumsumexp_neginf": torch.logcumsumexp(torch.cat([a[0, :1] - float("inf"), a[0, 1:]]), 0),
    "cummax_ties": a[0].cummax(0).values,
    "cummin": a[2].cummin(0).values,
    "renorm": torch.renorm(a, p=2, dim=0, maxnorm=2.0),
    "normalize_zero_row": F.normalize(a * torch.tensor([[1.0], [0.0], [1.0]]), dim=1),
    "dist_p1": torch.dist(a[0], a[1], p=1),
    "dist_inf": torch.dist(a[0], a[1], p=float("inf")),
    "vector_norm_ord_neg_inf": torch.linalg.vector_norm(a[1] + 0.5, ord=float("-inf")),
    "std_corr2": a.std(dim=1, correction=2),
    "var_mean_corr0": torch.stack(torch.var_mean(a, dim=0, correction=0)),
    "nanmean": torch.nanmean(torch.where(a > 1, a, torch.nan), dim=1),
    "nansum": torch.nansum(torch.where(a < 0, torch.nan, a)),
    "amax_ties": a.amax(dim=(0, 1)),
    "logsumexp_2d": torch.logsumexp(a, dim=(0, 1)),
    "tril_neg": torch.tril(a, diagonal=-1),
    "triu_pos": torch.triu(a, diagonal=1),
    "diagonal_offset": torch.diagonal(a, offset=-1),
    "diag_embed": torch.diag_embed(a[0, :3], offset=1),
    "unfold_gap": a[0].unfold(0, 1, 2),
    "repeat_interleave_tensor": torch.repeat_interleave(a[1], torch.tensor([1, 0, 2, 3])),
    "diff_n2": torch.diff(a, n=2, dim=1),
    "sort_desc_stable": torch.sort(a[0], descending=True, stable=True).values,
    "take_along_dim": torch.take_along_dim(a, a.argmax(1, keepdim=True), dim=1),
    "put_accumulate": torch.zeros(6).put(torch.tensor([0, 0, 5]), a[1, :3], accumulate=True),
    "pad_negative_crop": F.pad(a, (-1, 1, 0, -1), value=1.5),
    "pad_circular": F.pad(a[None], (1, 2), mode="circular"),
    "roll_two_dims": torch.roll(a, shifts=(1, -1), dims=(0, 1)),
    "rot90_k3": torch.rot90(a, k=3),
    "baddbmm": torch.baddbmm(a[None, :2, :3], b[None, :2], b[None, 1:], beta=0.5, alpha=2.0),
    "addr": torch.addr(a[:2, :2], b[:2, 0], b[:2, 1], beta=-1.0, alpha=0.5),
    "addmv": torch.addmv(b[:3, 0], a, b[:, 2], beta=2.0),
    "tensordot": torch.tensordot(a, b, dims=([1], [0])),
    "kron": torch.kron(a[:2, :2], b[:2, :2]),
    "cartesian_prod": torch.cartesian_prod(a[0, :2], b[0, :2]),
    "combinations_repl": torch.combinations(a[1, :3], r=2, with_replacement=True),
    "cross_dim0": torch.linalg.cross(a[:, :3].t(), b[:3], dim=0),
    "multi_dot": torch.linalg.multi_dot([a, b, a]),
    "gather_sparse_grad_dense_use": torch.gather(a, 1, torch.tensor([[0, 0], [3, 1], [2, 2]]), sparse_grad=False),
}
total = sum((o * torch.linspace(-1, 1, o.numel()).view(o.shape)).sum() for o in outs.values())
total.backward()
for name, o in outs.items():
    print(f"{name:30s} {tuple(o.shape)} {round(o.sum().item(), 4)}")
print(a.grad)
print(b.grad)
