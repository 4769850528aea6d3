import random
from collections import deque
import torch
import torch.nn as nn

torch.manual_seed(0)
random.seed(0)
q_net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
target = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
target.load_state_dict(q_net.state_dict())
opt = torch.optim.Adam(q_net.parameters(), lr=1e-3)
buffer = deque(maxlen=50)
for t in range(60):
    s = torch.randn(4)
    a = random.randrange(2)
    r = float(s[0] > 0)
    s2 = torch.randn(4)
    buffer.append((s, a, r, s2, t % 10 == 9))
batch = random.sample(buffer, 8)
s, a, r, s2, done = zip(*batch)
s, s2 = torch.stack(s), torch.stack(s2)
a = torch.tensor(a)
r = torch.tensor(r)
done = torch.tensor(done, dtype=torch.float32)
q = q_net(s).gather(1, a.unsqueeze(1)).squeeze(1)
with torch.no_grad():
    q_next = target(s2).max(1).values
    y = r + 0.99 * q_next * (1 - done)
loss = nn.functional.smooth_l1_loss(q, y)
opt.zero_grad()
loss.backward()
nn.utils.clip_grad_value_(q_net.parameters(), 1.0)
opt.step()
print(len(buffer), loss.item())
print(q_net[2].bias.grad)
