import torch
import torch.nn as nn
from torch.distributions import OneHotCategoricalStraightThrough, RelaxedOneHotCategorical

torch.manual_seed(35)
policy = nn.Linear(4, 3)
obs = torch.randn(5, 4)
logits = policy(obs)
dist = OneHotCategoricalStraightThrough(logits=logits)
action = dist.rsample()
print(action.sum(-1))
reward = (action * torch.tensor([1.0, -1.0, 0.5])).sum()
relaxed = RelaxedOneHotCategorical(torch.tensor(0.5), logits=logits)
soft = relaxed.rsample()
entropy = dist.entropy().mean()
(-(reward + soft[:, 0].sum()) - 0.01 * entropy).backward()
print(policy.weight.grad)
print(round(entropy.item(), 5))
