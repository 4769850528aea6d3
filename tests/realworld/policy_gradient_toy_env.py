import random
from collections import deque

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.distributions import Categorical

SEED = 5
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)


class LineWorld:
    """Walk on positions 0..6, start in the middle; reaching 6 pays +1, reaching 0 pays -1, every step costs 0.01."""

    def __init__(self, size=7, max_steps=12):
        self.size, self.max_steps = size, max_steps

    def reset(self):
        self.pos, self.t = self.size // 2, 0
        return self._obs()

    def _obs(self):
        obs = np.zeros(self.size, dtype=np.float32)
        obs[self.pos] = 1.0
        return obs

    def step(self, action):
        self.pos += 1 if action == 1 else -1
        self.t += 1
        done = self.pos in (0, self.size - 1) or self.t >= self.max_steps
        reward = 1.0 if self.pos == self.size - 1 else (-1.0 if self.pos == 0 else -0.01)
        return self._obs(), reward, done, {}


class Policy(nn.Module):
    def __init__(self, n_obs, n_actions):
        super().__init__()
        self.affine1 = nn.Linear(n_obs, 16)
        self.dropout = nn.Dropout(p=0.2)
        self.affine2 = nn.Linear(16, n_actions)
        self.saved_log_probs = []
        self.rewards = []

    def forward(self, x):
        x = self.dropout(torch.relu(self.affine1(x)))
        return torch.softmax(self.affine2(x), dim=1)


env = LineWorld()
policy = Policy(7, 2)
optimizer = optim.Adam(policy.parameters(), lr=3e-2)
eps = np.finfo(np.float32).eps.item()
gamma = 0.95


def select_action(state):
    state = torch.from_numpy(state).float().unsqueeze(0)
    probs = policy(state)
    m = Categorical(probs)
    action = m.sample()
    policy.saved_log_probs.append(m.log_prob(action))
    return action.item()


def finish_episode():
    R = 0
    policy_loss = []
    returns = deque()
    for r in policy.rewards[::-1]:
        R = r + gamma * R
        returns.appendleft(R)
    returns = torch.tensor(returns)
    returns = (returns - returns.mean()) / (returns.std() + eps) if len(returns) > 1 else returns
    for log_prob, R in zip(policy.saved_log_probs, returns):
        policy_loss.append(-log_prob * R)
    optimizer.zero_grad()
    policy_loss = torch.cat(policy_loss).sum()
    policy_loss.backward()
    optimizer.step()
    del policy.rewards[:]
    del policy.saved_log_probs[:]
    return policy_loss


running_reward = 0.0
for i_episode in range(1, 16):
    state, ep_reward = env.reset(), 0.0
    for t in range(1, 100):
        action = select_action(state)
        state, reward, done, _ = env.step(action)
        policy.rewards.append(reward)
        ep_reward += reward
        if done:
            break
    running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward
    last_loss = finish_episode()
    if i_episode % 5 == 0:
        print("Episode {}\tLast reward: {:.2f}\tAverage reward: {:.2f}\tsteps {}".format(
            i_episode, ep_reward, running_reward, t))

policy.eval()
with torch.no_grad():
    greedy = policy(torch.eye(7)).argmax(1)
print("greedy actions:", greedy.tolist())
