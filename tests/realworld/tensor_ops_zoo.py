torch.manual_seed(53)
A = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
v = torch.randn(3, dtype=torch.float64, requires_grad=True)
ops = [
    torch.linalg.det(A),
    torch.linalg.slogdet(A).logabsdet,
    torch.linalg.matrix_exp(A * 0.1).sum(),
    torch.linalg.matrix_norm(A, ord="nuc"),
    torch.linalg.vector_norm(v, ord=float("inf")),
    torch.linalg.lstsq(A, v.unsqueeze(1)).solution.sum(),
    torch.cross(v, A[0], dim=0).sum(),
    torch.kron(A[:2, :2], A[1:, 1:]).sum(),
    torch.block_diag(A[:1, :1], A[1:, 1:]).trace(),
    torch.diag_embed(v).tril().sum(),
    torch.tensordot(A, A, dims=([1], [0])).sum(),
    torch.addr(A, v, v, beta=0.5, alpha=2.0).sum(),
    torch.addmv(v, A, v, beta=2.0).sum(),
    torch.logcumsumexp(v, 0).sum(),
    torch.lerp(v, A[2], 0.3).sum(),
    torch.addcmul(v, A[0], A[1], value=0.5).sum(),
    torch.atan2(v, A[1]).sum(),
    torch.hypot(v, A[2]).sum(),
    F.normalize(A, dim=1).sum(),
    F.glu(torch.cat([A, A.flip(1)], dim=1), dim=1).sum(),
    F.softplus(A, beta=2.0, threshold=1.0).sum(),
    A.unfold(0, 2, 1).sum(),
    F.pad(A.unsqueeze(0), (1, 1), mode="reflect").pow(2).sum(),
    v.repeat_interleave(2).cumsum(0).sum(),
    torch.roll(A, 1, 0).diff(dim=1).pow(2).sum(),
    A.std(dim=0, correction=0).sum() + torch.var_mean(A, dim=1)[0].sum(),
]
total = torch.stack(ops).sum()
total.backward()
print(len(ops), round(total.item(), 6))
print(A.grad)
print(v.grad)
