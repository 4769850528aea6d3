import torch
from torch import distributions as D

torch.manual_seed(0)
loc = torch.zeros(3, requires_grad=True)
cov_factor = torch.randn(3, 1, requires_grad=True)
cov_diag = torch.ones(3, requires_grad=True)
lr = D.LowRankMultivariateNormal(loc, cov_factor, cov_diag)
z = lr.rsample((4,))
lp = lr.log_prob(z)
print("lowrank log_prob:", lp)

logits = torch.tensor([0.2, -0.5, 1.0], requires_grad=True)
relaxed = D.RelaxedOneHotCategorical(torch.tensor(0.5), logits=logits)
sample = relaxed.rsample()
print("relaxed sample sums to", round(sample.sum().item(), 4))

scale = torch.tensor(0.7, requires_grad=True)
lap = D.Laplace(torch.tensor(0.0), scale)
y = lap.rsample((5,))
nll = -lap.log_prob(y).mean()

cat = D.Categorical(logits=logits)
ent = cat.entropy()
kl = D.kl_divergence(D.Normal(loc, cov_diag), D.Normal(torch.zeros(3), torch.ones(3))).sum()
total = lp.mean() + (sample * torch.arange(3.)).sum() + nll + ent + kl
total.backward()
print("loc.grad", loc.grad)
print("logits.grad", logits.grad)
print("scale.grad", scale.grad)
print(cat.probs)
