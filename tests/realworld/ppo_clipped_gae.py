# PPO update with GAE, like in many "PPO from scratch" blog posts
import torch
import torch.nn as nn
from torch.distributions import Categorical

torch.manual_seed(7)


class ActorCritic(nn.Module):
    def __init__(self, obs_dim, n_actions):
        super().__init__()
        self.actor = nn.Sequential(nn.Linear(obs_dim, 8), nn.Tanh(), nn.Linear(8, n_actions))
        self.critic = nn.Sequential(nn.Linear(obs_dim, 8), nn.Tanh(), nn.Linear(8, 1))

    def get_action_and_value(self, x, action=None):
        logits = self.actor(x)
        probs = Categorical(logits=logits)
        if action is None:
            action = probs.sample()
        return action, probs.log_prob(action), probs.entropy(), self.critic(x)


def compute_gae(rewards, values, dones, next_value, gamma=0.99, lam=0.95):
    advantages = torch.zeros_like(rewards)
    lastgaelam = 0
    num_steps = len(rewards)
    for t in reversed(range(num_steps)):
        if t == num_steps - 1:
            nextnonterminal = 1.0 - dones[t]
            nextvalues = next_value
        else:
            nextnonterminal = 1.0 - dones[t + 1]
            nextvalues = values[t + 1]
        delta = rewards[t] + gamma * nextvalues * nextnonterminal - values[t]
        advantages[t] = lastgaelam = delta + gamma * lam * nextnonterminal * lastgaelam
    returns = advantages + values
    return advantages, returns


agent = ActorCritic(3, 2)
optimizer = torch.optim.Adam(agent.parameters(), lr=2.5e-3, eps=1e-5)

num_steps = 8
obs = torch.randn(num_steps, 3)
with torch.no_grad():
    actions, logprobs, _, values = agent.get_action_and_value(obs)
    values = values.flatten()
    rewards = (actions == 1).float() - 0.1
    dones = torch.zeros(num_steps)
    dones[4] = 1.0
    next_value = agent.critic(torch.randn(1, 3)).reshape(1)
    advantages, returns = compute_gae(rewards, values, dones, next_value)

clip_coef = 0.2
for epoch in range(2):
    b_inds = torch.randperm(num_steps)
    for start in range(0, num_steps, 4):
        mb_inds = b_inds[start:start + 4]
        _, newlogprob, entropy, newvalue = agent.get_action_and_value(obs[mb_inds], actions[mb_inds])
        logratio = newlogprob - logprobs[mb_inds]
        ratio = logratio.exp()
        with torch.no_grad():
            approx_kl = ((ratio - 1) - logratio).mean()
            clipfrac = ((ratio - 1.0).abs() > clip_coef).float().mean().item()
        mb_advantages = advantages[mb_inds]
        mb_advantages = (mb_advantages - mb_advantages.mean()) / (mb_advantages.std() + 1e-8)
        pg_loss1 = -mb_advantages * ratio
        pg_loss2 = -mb_advantages * torch.clamp(ratio, 1 - clip_coef, 1 + clip_coef)
        pg_loss = torch.max(pg_loss1, pg_loss2).mean()
        newvalue = newvalue.view(-1)
        v_loss = 0.5 * ((newvalue - returns[mb_inds]) ** 2).mean()
        entropy_loss = entropy.mean()
        loss = pg_loss - 0.01 * entropy_loss + v_loss * 0.5
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(agent.parameters(), 0.5)
        optimizer.step()
    print(f"epoch={epoch} loss={loss.item():.4f} kl={approx_kl.item():.5f} clipfrac={clipfrac}")
