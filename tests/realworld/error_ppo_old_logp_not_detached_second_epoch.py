import torch
import torch.nn as nn
from torch.distributions import Categorical

torch.manual_seed(0)
policy = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3))
opt = torch.optim.Adam(policy.parameters(), lr=3e-4)
obs = torch.randn(8, 4)
dist = Categorical(logits=policy(obs))
actions = dist.sample()
old_logp = dist.log_prob(actions)
adv = torch.randn(8)
for epoch in range(2):
    new_logp = Categorical(logits=policy(obs)).log_prob(actions)
    ratio = (new_logp - old_logp).exp()
    loss = -torch.min(ratio * adv, ratio.clamp(0.8, 1.2) * adv).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, loss.item())
