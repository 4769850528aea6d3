import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(9)
policy_net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
target_net = copy.deepcopy(policy_net)
target_net.eval()
optimizer = torch.optim.RMSprop(policy_net.parameters(), lr=1e-2)
gamma = 0.99
for step in range(4):
    state = torch.randn(8, 4)
    action = torch.randint(0, 2, (8, 1))
    reward = torch.randn(8)
    next_state = torch.randn(8, 4)
    done = torch.tensor([0, 0, 1, 0, 0, 0, 1, 0], dtype=torch.bool)
    state_action_values = policy_net(state).gather(1, action)
    with torch.no_grad():
        next_values = target_net(next_state).max(1).values
        next_values[done] = 0.0
    expected = reward + gamma * next_values
    loss = F.smooth_l1_loss(state_action_values, expected.unsqueeze(1))
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_value_(policy_net.parameters(), 1.0)
    optimizer.step()
    if step % 2 == 1:
        target_net.load_state_dict(policy_net.state_dict())
    print(step, f"{loss.item():.4f}")
print(policy_net[2].bias, target_net[2].bias)
