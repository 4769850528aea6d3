# SAC-style actor/critic update with a tanh-squashed Gaussian and a deque replay buffer
import random
from collections import deque
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Normal

torch.manual_seed(11)
random.seed(11)

LOG_STD_MIN, LOG_STD_MAX = -5, 2


class Actor(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 8)
        self.fc_mean = nn.Linear(8, 1)
        self.fc_logstd = nn.Linear(8, 1)

    def forward(self, x):
        x = F.relu(self.fc(x))
        mean = self.fc_mean(x)
        log_std = torch.tanh(self.fc_logstd(x))
        log_std = LOG_STD_MIN + 0.5 * (LOG_STD_MAX - LOG_STD_MIN) * (log_std + 1)
        return mean, log_std

    def get_action(self, x):
        mean, log_std = self(x)
        std = log_std.exp()
        normal = Normal(mean, std)
        x_t = normal.rsample()
        y_t = torch.tanh(x_t)
        action = y_t * 2.0
        log_prob = normal.log_prob(x_t)
        log_prob -= torch.log(2.0 * (1 - y_t.pow(2)) + 1e-6)
        log_prob = log_prob.sum(1, keepdim=True)
        return action, log_prob, torch.tanh(mean) * 2.0


class SoftQ(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))

    def forward(self, x, a):
        return self.net(torch.cat([x, a], 1))


buffer = deque(maxlen=20)
for _ in range(12):
    buffer.append((np.random.RandomState(len(buffer)).randn(3).astype(np.float32),
                   random.uniform(-2, 2), random.random(), torch.randn(3)))

actor = Actor()
qf1, qf2 = SoftQ(), SoftQ()
qf1_target, qf2_target = SoftQ(), SoftQ()
qf1_target.load_state_dict(qf1.state_dict())
qf2_target.load_state_dict(qf2.state_dict())
q_optimizer = torch.optim.Adam(list(qf1.parameters()) + list(qf2.parameters()), lr=1e-3)
actor_optimizer = torch.optim.Adam(list(actor.parameters()), lr=3e-4)
log_alpha = torch.zeros(1, requires_grad=True)
alpha = log_alpha.exp().item()
a_optimizer = torch.optim.Adam([log_alpha], lr=1e-3)
target_entropy = -1.0
gamma, tau = 0.99, 0.05

for it in range(2):
    batch = random.sample(buffer, 4)
    obs = torch.as_tensor(np.stack([b[0] for b in batch]))
    act = torch.tensor([[b[1]] for b in batch], dtype=torch.float32)
    rew = torch.tensor([b[2] for b in batch])
    next_obs = torch.stack([b[3] for b in batch])
    with torch.no_grad():
        next_state_actions, next_state_log_pi, _ = actor.get_action(next_obs)
        qf1_next_target = qf1_target(next_obs, next_state_actions)
        qf2_next_target = qf2_target(next_obs, next_state_actions)
        min_qf_next_target = torch.min(qf1_next_target, qf2_next_target) - alpha * next_state_log_pi
        next_q_value = rew.flatten() + gamma * min_qf_next_target.view(-1)

    qf1_a_values = qf1(obs, act).view(-1)
    qf2_a_values = qf2(obs, act).view(-1)
    qf1_loss = F.mse_loss(qf1_a_values, next_q_value)
    qf2_loss = F.mse_loss(qf2_a_values, next_q_value)
    qf_loss = qf1_loss + qf2_loss
    q_optimizer.zero_grad()
    qf_loss.backward()
    q_optimizer.step()

    pi, log_pi, _ = actor.get_action(obs)
    qf1_pi = qf1(obs, pi)
    qf2_pi = qf2(obs, pi)
    min_qf_pi = torch.min(qf1_pi, qf2_pi)
    actor_loss = ((alpha * log_pi) - min_qf_pi).mean()
    actor_optimizer.zero_grad()
    actor_loss.backward()
    actor_optimizer.step()

    with torch.no_grad():
        _, log_pi, _ = actor.get_action(obs)
    alpha_loss = (-log_alpha.exp() * (log_pi + target_entropy)).mean()
    a_optimizer.zero_grad()
    alpha_loss.backward()
    a_optimizer.step()
    alpha = log_alpha.exp().item()

    for param, target_param in zip(qf1.parameters(), qf1_target.parameters()):
        target_param.data.copy_(tau * param.data + (1 - tau) * target_param.data)
    for param, target_param in zip(qf2.parameters(), qf2_target.parameters()):
        target_param.data.mul_(1 - tau).add_(param.data, alpha=tau)
    print(it, round(qf_loss.item(), 4), round(actor_loss.item(), 4), round(alpha, 5))
