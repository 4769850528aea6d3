# Fitting rates and shapes by maximum likelihood: Poisson, NegativeBinomial, StudentT rsample, Pareto and ContinuousBernoulli
import torch
import torch.distributions as D

torch.manual_seed(32)
counts = torch.tensor([0.0, 2.0, 3.0, 1.0, 7.0])
log_rate = torch.zeros((), requires_grad=True)
logit_p = torch.zeros((), requires_grad=True)
log_total = torch.zeros((), requires_grad=True)
nll_pois = -D.Poisson(log_rate.exp()).log_prob(counts).sum()
nll_nb = -D.NegativeBinomial(log_total.exp(), logits=logit_p).log_prob(counts).sum()
(nll_pois + nll_nb).backward()
print(nll_pois, nll_nb, log_rate.grad, logit_p.grad, log_total.grad)

df = torch.tensor(4.0, requires_grad=True)
scale = torch.tensor(1.5, requires_grad=True)
t = D.StudentT(df, 0.0, scale).rsample((6,))
alpha = torch.tensor(3.0, requires_grad=True)
par = D.Pareto(torch.tensor(1.0), alpha)
cb = D.ContinuousBernoulli(logits=torch.tensor([0.3, -1.2], requires_grad=True))
obj = t.abs().mean() + par.log_prob(torch.tensor([1.5, 2.5])).sum() + cb.log_prob(torch.tensor([0.2, 0.9])).sum()
obj.backward()
print(t, df.grad, scale.grad, alpha.grad, cb.logits.grad)
print(par.mean, cb.mean)
