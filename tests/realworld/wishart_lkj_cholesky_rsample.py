import torch
from torch.distributions import LKJCholesky, MultivariateNormal, Wishart

torch.manual_seed(32)
df = torch.tensor(5.0, requires_grad=True)
scale = torch.eye(2) * 0.5
W = Wishart(df=df, covariance_matrix=scale)
sample = W.rsample()
print(sample.shape, torch.linalg.eigvalsh(sample).min().item() > 0)
lp = W.log_prob(sample.detach())
lp.backward()
print(df.grad)
conc = torch.tensor(2.0)
L = LKJCholesky(3, conc).sample()
loc = torch.zeros(3, requires_grad=True)
sd = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)
mvn = MultivariateNormal(loc, scale_tril=torch.diag(sd) @ L)
z = mvn.rsample((4,))
nll = -mvn.log_prob(z.detach()).mean()
nll.backward()
print(round(nll.item(), 5), loc.grad, sd.grad)
