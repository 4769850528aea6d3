from torch.distributions import MultivariateNormal
loc = torch.zeros(2, requires_grad=True)
L = torch.tensor([[1.0, 0.0], [0.5, 0.8]], requires_grad=True)
nll = -MultivariateNormal(loc, scale_tril=L).log_prob(torch.tensor([0.3, -0.2]))
nll.backward()
print(loc.grad, L.grad)
