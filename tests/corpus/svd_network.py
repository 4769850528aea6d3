torch.manual_seed(0)
A = torch.randn(4, 4, requires_grad=True)
B = torch.randn(4, 4, requires_grad=True)
core = A @ B
U, S, Vh = torch.linalg.svd(core)
truncated = U[:, :2] @ torch.diag(S[:2]) @ Vh[:2]
loss = (core - truncated).pow(2).sum() + S.sum()
loss.backward()
print(S.shape, A.grad.shape)
