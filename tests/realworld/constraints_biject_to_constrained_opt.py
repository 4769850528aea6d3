import torch
from torch.distributions import constraints, transform_to, biject_to

torch.manual_seed(0)
unconstrained_scale = torch.zeros(2, requires_grad=True)
unconstrained_probs = torch.zeros(3, requires_grad=True)
opt = torch.optim.Adam([unconstrained_scale, unconstrained_probs], lr=0.1)
data = torch.tensor([0.5, 2.0])
for _ in range(3):
    scale = transform_to(constraints.positive)(unconstrained_scale)
    probs = biject_to(constraints.simplex)(unconstrained_probs)
    nll = -torch.distributions.Normal(0.0, scale).log_prob(data).sum() - torch.log(probs[0])
    opt.zero_grad()
    nll.backward()
    opt.step()
print(scale, probs.sum())
print(unconstrained_probs.grad)
