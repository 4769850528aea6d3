torch.manual_seed(88)
a = torch.randn(3, 3, requires_grad=True)
b = torch.randn(3, 2, requires_grad=True)
v = torch.randn(4, requires_grad=True)
parts = [
    torch.einsum("ij,jk", [a, b]).sum(),
    torch.cat(tensors=[v, v * 2]).sum(),
    torch.stack(tuple(r for r in a)).sum(),
    sum(t.sum() for t in torch.broadcast_tensors(v[:3], a)),
    sum(g.sum() for g in torch.meshgrid(v[:2], v[2:], indexing="ij")),
    torch.block_diag(a, b).sum(),
    torch.cartesian_prod(v[:2], v[2:]).prod(dim=1).sum(),
    torch.combinations(v, r=2).prod(1).sum(),
    torch.tensordot(a, b, dims=([1], [0])).sum(),
    torch.linalg.multi_dot([a, a, b]).sum(),
    F.pad(a.view(1, 3, 3), (2, 1), mode="reflect").sum(),
    F.pad(a.view(1, 1, 3, 3), (1, 1, 1, 1), mode="replicate").sum(),
    F.pad(a.view(1, 1, 3, 3), (1, 1, 1, 1), mode="circular").sum(),
    sum(t.sum() for t in torch.tensor_split(v, [1, 3])),
    torch.take(a, torch.tensor([0, 4, 8])).sum(),
    torch.diff(v, prepend=v[:1]).pow(2).sum(),
    sum(g.sum() for g in torch.gradient(v, spacing=0.5)),
    torch.trapezoid(v, dx=0.5) + torch.cumulative_trapezoid(v).sum(),
    torch.view_as_real(torch.polar(v.abs() + 0.1, v)).sum(),
    torch.column_stack([v, v]).sum() + torch.dstack([a, a]).sum(),
    torch.cov(a).sum() + torch.corrcoef(a).nan_to_num().sum(),
    torch.renorm(a, p=2, dim=0, maxnorm=1.0).sum(),
    torch.lerp(v, v.flip(0), torch.linspace(0, 1, 4)).sum(),
    F.embedding_bag(torch.tensor([0, 2, 1, 1]), a, torch.tensor([0, 2]), mode="sum", per_sample_weights=v).sum(),
    a[torch.nonzero(a > 0, as_tuple=True)].sum() + a[torch.where(a < 0)].sum(),
    v[torch.unique(torch.tensor([3, 1, 3, 0]), return_inverse=True)[1]].sum(),
]
total = sum(parts)
total.backward()
print(total)
print(a.grad)
print(b.grad)
print(v.grad)
