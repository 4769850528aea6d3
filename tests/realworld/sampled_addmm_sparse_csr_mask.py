# Masked matrix products on a sparse pattern: torch.sparse.sampled_addmm computes A @ B only where a CSR mask has
# entries (as in sparse attention or graph edge scores); the gradient of both dense factors against the dense
# product masked by hand.
torch.manual_seed(0)
mask_dense = torch.tensor([[1.0, 0, 1, 0], [0, 1, 0, 0], [1, 1, 0, 1]])
mask = mask_dense.to_sparse_csr()
A = torch.randn(3, 5, requires_grad=True)
B = torch.randn(5, 4, requires_grad=True)
scores = torch.sparse.sampled_addmm(mask, A, B, beta=0.0, alpha=0.5)
print(scores.layout, scores.values())
loss = scores.values().pow(2).sum()
loss.backward()
A2, B2 = A.detach().clone().requires_grad_(), B.detach().clone().requires_grad_()
((0.5 * (A2 @ B2) * mask_dense).pow(2)).sum().backward()
print(torch.allclose(A.grad, A2.grad, atol=1e-6), torch.allclose(B.grad, B2.grad, atol=1e-6))
print(A.grad)
