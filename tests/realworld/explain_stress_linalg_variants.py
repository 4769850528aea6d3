torch.manual_seed(97)
A = torch.randn(3, 3, dtype=torch.float64)
S = (A @ A.T + 3 * torch.eye(3, dtype=torch.float64)).requires_grad_()
M = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
B = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
Bt = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
L = torch.linalg.cholesky(S)
U = torch.linalg.cholesky(S, upper=True)
parts = [
    torch.linalg.solve_triangular(L, B, upper=False),
    torch.linalg.solve_triangular(U, Bt, upper=True, left=False),
    torch.linalg.solve_triangular(L, B, upper=False, unitriangular=True),
    torch.linalg.solve(M, B),
    torch.linalg.solve(M, Bt, left=False),
    torch.cholesky_solve(B, L),
    torch.cholesky_solve(B, U, upper=True),
    torch.cholesky_inverse(L),
    torch.linalg.lu_solve(*torch.linalg.lu_factor(M), B),
    torch.linalg.lu_solve(*torch.linalg.lu_factor(M), B, adjoint=True),
    torch.linalg.lu_solve(*torch.linalg.lu_factor(M), Bt, left=False),
    torch.linalg.lstsq(M, B).solution,
    torch.linalg.eigh(S, UPLO="U").eigenvalues,
    torch.linalg.eigvalsh(S),
    torch.linalg.svd(M, full_matrices=False).S,
    torch.linalg.svdvals(M),
    torch.linalg.pinv(S, hermitian=True),
    torch.linalg.pinv(M),
    torch.linalg.matrix_exp(M * 0.3),
    torch.linalg.inv(M),
    torch.linalg.matrix_power(M, -2),
    torch.linalg.matrix_power(M, 3),
    torch.linalg.det(M).reshape(1),
    torch.linalg.slogdet(M).logabsdet.reshape(1),
    torch.logdet(S).reshape(1),
    torch.linalg.qr(M, mode="complete").R,
    torch.linalg.qr(B, mode="reduced").Q,
    torch.linalg.matrix_norm(M, ord=2).reshape(1),
    torch.linalg.matrix_norm(M, ord="nuc").reshape(1),
    torch.linalg.matrix_norm(M, ord=-1).reshape(1),
    torch.linalg.cond(S).reshape(1),
    torch.linalg.matrix_rank(S).double().reshape(1),
    torch.linalg.householder_product(B, torch.tensor([1.2, 0.4], dtype=torch.float64)),
    torch.triangular_solve(B, L, upper=False).solution,
]
loss = sum((p.sin() * (i + 1)).sum() for i, p in enumerate(parts))
loss.backward()
print(S.grad.norm(), M.grad.norm(), B.grad.norm(), Bt.grad.norm())
