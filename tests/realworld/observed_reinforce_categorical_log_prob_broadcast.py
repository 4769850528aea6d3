# REINFORCE (the PyTorch examples repo): Categorical.log_prob's broadcast_tensors(value, logits) hands logits back
# as it was, and was drawn as an op with no derivative.
from torch.distributions import Categorical
torch.manual_seed(543)
policy = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2), nn.Softmax(dim=-1))
optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2)
gamma = 0.99
saved_log_probs, rewards = [], []
state = torch.randn(4)
for t in range(5):
    probs = policy(state)
    m = Categorical(probs)
    action = m.sample()
    saved_log_probs.append(m.log_prob(action))
    rewards.append(1.0 if action.item() == 0 else 0.5)
    state = state + 0.1 * torch.randn(4)
R, returns = 0.0, []
for r in rewards[::-1]:
    R = r + gamma * R
    returns.insert(0, R)
returns = torch.tensor(returns)
returns = (returns - returns.mean()) / (returns.std() + 1e-8)
policy_loss = torch.cat([(-lp * R).unsqueeze(0) for lp, R in zip(saved_log_probs, returns)]).sum()
optimizer.zero_grad()
policy_loss.backward()
optimizer.step()
print(rewards)
print(returns)
print(policy_loss)
