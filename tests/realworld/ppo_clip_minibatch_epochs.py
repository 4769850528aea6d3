import torch
import torch.nn as nn
from torch.distributions import Categorical, Normal

torch.manual_seed(0)
obs_dim, n_act = 3, 4
actor = nn.Sequential(nn.Linear(obs_dim, 16), nn.Tanh(), nn.Linear(16, n_act))
critic = nn.Sequential(nn.Linear(obs_dim, 16), nn.Tanh(), nn.Linear(16, 1))
opt = torch.optim.Adam(list(actor.parameters()) + list(critic.parameters()), lr=3e-4, eps=1e-5)

N = 12
obs = torch.randn(N, obs_dim)
with torch.no_grad():
    dist = Categorical(logits=actor(obs))
    actions = dist.sample()
    old_logp = dist.log_prob(actions)
    values = critic(obs).squeeze(-1)
rewards = torch.randn(N)
advantages = rewards - values
returns = advantages + values
clip_coef = 0.2
for epoch in range(2):
    perm = torch.randperm(N)
    for start in range(0, N, 6):
        mb = perm[start:start + 6]
        logits = actor(obs[mb])
        new_dist = Categorical(logits=logits)
        newlogp = new_dist.log_prob(actions[mb])
        entropy = new_dist.entropy()
        logratio = newlogp - old_logp[mb]
        ratio = logratio.exp()
        with torch.no_grad():
            approx_kl = ((ratio - 1) - logratio).mean()
            clipfrac = ((ratio - 1.0).abs() > clip_coef).float().mean().item()
        mb_adv = advantages[mb]
        mb_adv = (mb_adv - mb_adv.mean()) / (mb_adv.std() + 1e-8)
        pg_loss1 = -mb_adv * ratio
        pg_loss2 = -mb_adv * torch.clamp(ratio, 1 - clip_coef, 1 + clip_coef)
        pg_loss = torch.max(pg_loss1, pg_loss2).mean()
        newvalue = critic(obs[mb]).view(-1)
        v_loss = 0.5 * ((newvalue - returns[mb]) ** 2).mean()
        entropy_loss = entropy.mean()
        loss = pg_loss - 0.01 * entropy_loss + v_loss * 0.5
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(list(actor.parameters()) + list(critic.parameters()), 0.5)
        opt.step()
        print(f"epoch={epoch} start={start} loss={loss.item():.5f} kl={approx_kl.item():.5f} clipfrac={clipfrac}")
# continuous action head
mu = torch.zeros(2, requires_grad=True)
log_std = torch.zeros(2, requires_grad=True)
pi = Normal(mu, log_std.exp())
a = pi.sample()
lp = pi.log_prob(a).sum()
lp.backward()
print(mu.grad, log_std.grad)
