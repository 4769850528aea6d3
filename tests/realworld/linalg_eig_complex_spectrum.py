torch.manual_seed(129)
W = torch.randn(3, 3, requires_grad=True)
evals, evecs = torch.linalg.eig(W)
print(evals.dtype, evecs.shape)
radius = evals.abs().max()
ev_only = torch.linalg.eigvals(W @ W.T + torch.eye(3))
stability = torch.relu(evals.real).sum() + ev_only.real.sum() * 0.01
loss = radius + stability
loss.backward()
print(radius, stability)
print(W.grad)
print(torch.linalg.eigvalsh(W + W.T))
