from torch.distributions import Categorical

torch.manual_seed(17)
actor = nn.Linear(3, 2)
critic = nn.Linear(3, 1)
states = torch.randn(4, 3)
dist = Categorical(probs=F.softmax(actor(states), dim=-1))
actions = dist.sample()
log_probs = dist.log_prob(actions)
rewards = [1.0, 0.0, 0.0, 1.0]
returns, running = [], 0.0
for r in reversed(rewards):
    running = r + 0.9 * running
    returns.insert(0, running)
returns = torch.tensor(returns)
values = critic(states).squeeze(-1)
advantage = returns - values.detach()
actor_loss = -(log_probs * advantage).sum()
critic_loss = F.smooth_l1_loss(values, returns)
(actor_loss + critic_loss).backward()
print(actions, returns)
print(actor.weight.grad, critic.bias.grad)
