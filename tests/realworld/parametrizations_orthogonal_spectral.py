from torch.nn.utils.parametrizations import orthogonal, spectral_norm
torch.manual_seed(50)
q = orthogonal(nn.Linear(3, 3))
s = spectral_norm(nn.Linear(3, 2))
x = torch.randn(4, 3)
loss = s(q(x)).pow(2).sum()
loss.backward()
print(torch.allclose(q.weight @ q.weight.T, torch.eye(3), atol=1e-5))
print(q.parametrizations.weight.original.grad.shape)
