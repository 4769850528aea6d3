# A DQN's target network: copy.deepcopy, load_state_dict(state_dict()), targets under torch.no_grad(), a soft update
# (its notes said the code's .data, .detach() and torch.no_grad() cut what deepcopy, state_dict and load_state_dict did).
import copy
import random

torch.manual_seed(15)
random.seed(15)


class QNet(nn.Module):
    def __init__(self, n_obs, n_act):
        super().__init__()
        self.fc1 = nn.Linear(n_obs, 16)
        self.fc2 = nn.Linear(16, n_act)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


policy_net = QNet(4, 2)
target_net = copy.deepcopy(policy_net)
target_net.load_state_dict(policy_net.state_dict())
target_net.eval()
optimizer = torch.optim.AdamW(policy_net.parameters(), lr=1e-3, amsgrad=True)
GAMMA = 0.99
memory = [(torch.randn(4), random.randrange(2), torch.randn(4), random.random(), random.random() < 0.2) for _ in range(20)]
for step in range(3):
    batch = random.sample(memory, 5)
    state_batch = torch.stack([b[0] for b in batch])
    action_batch = torch.tensor([[b[1]] for b in batch])
    next_states = torch.stack([b[2] for b in batch])
    reward_batch = torch.tensor([b[3] for b in batch])
    done = torch.tensor([b[4] for b in batch], dtype=torch.float)
    state_action_values = policy_net(state_batch).gather(1, action_batch)
    with torch.no_grad():
        next_state_values = target_net(next_states).max(1).values
    expected_state_action_values = reward_batch + GAMMA * next_state_values * (1 - done)
    criterion = nn.SmoothL1Loss()
    loss = criterion(state_action_values, expected_state_action_values.unsqueeze(1))
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_value_(policy_net.parameters(), 100)
    optimizer.step()
    print(step, round(loss.item(), 6))
TAU = 0.005
target_net_state_dict = target_net.state_dict()
policy_net_state_dict = policy_net.state_dict()
for key in policy_net_state_dict:
    target_net_state_dict[key] = policy_net_state_dict[key] * TAU + target_net_state_dict[key] * (1 - TAU)
target_net.load_state_dict(target_net_state_dict)
print(target_net.fc2.bias)
print(next_state_values.requires_grad, policy_net.fc2.bias.grad)
