# Variational inference with a TransformedDistribution: Normal -> Affine -> Exp (log-normal), and a simplex via stick-breaking
import torch
import torch.distributions as D
from torch.distributions import transforms as T

torch.manual_seed(11)
loc = torch.zeros(2, requires_grad=True)
log_scale = torch.zeros(2, requires_grad=True)
base = D.Normal(torch.zeros(2), torch.ones(2))
q = D.TransformedDistribution(base, [T.AffineTransform(loc, log_scale.exp()), T.ExpTransform()])
z = q.rsample((4,))
prior = D.Gamma(torch.tensor(2.0), torch.tensor(1.0))
elbo = (prior.log_prob(z).sum(-1) - q.log_prob(z).sum(-1)).mean()
(-elbo).backward()
print(z.shape, elbo)
print(loc.grad, log_scale.grad)

logits = torch.zeros(3, requires_grad=True)
sb = T.StickBreakingTransform()
p = sb(logits)
ld = sb.log_abs_det_jacobian(logits, p)
target = D.Dirichlet(torch.tensor([2.0, 3.0, 4.0, 1.0]))
obj = -(target.log_prob(p) + ld)
obj.backward()
print(p, ld, logits.grad)
