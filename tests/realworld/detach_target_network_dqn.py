# DQN-style update: target network copy, no gradient through the target
import copy
torch.manual_seed(0)
q_net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
target_net = copy.deepcopy(q_net)
for p in target_net.parameters():
    p.requires_grad = False
optimizer = torch.optim.Adam(q_net.parameters(), lr=1e-2)
states = torch.randn(6, 4)
actions = torch.tensor([0, 1, 1, 0, 1, 0])
rewards = torch.randn(6)
next_states = torch.randn(6, 4)
dones = torch.tensor([0, 0, 1, 0, 0, 1], dtype=torch.float32)
gamma = 0.99
for update in range(3):
    q_values = q_net(states).gather(1, actions.unsqueeze(1)).squeeze(1)
    with torch.no_grad():
        next_q = target_net(next_states).max(1)[0]
        targets = rewards + gamma * next_q * (1 - dones)
    td_loss = F.smooth_l1_loss(q_values, targets)
    optimizer.zero_grad()
    td_loss.backward()
    optimizer.step()
    print(update, f"{td_loss.item():.4f}", targets.requires_grad)
target_net.load_state_dict(q_net.state_dict())
print(torch.equal(target_net[0].weight, q_net[0].weight), q_net[2].bias.grad)
