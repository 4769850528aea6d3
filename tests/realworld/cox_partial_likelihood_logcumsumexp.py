import torch
import torch.nn as nn


def cox_ph_loss(log_h, durations, events, eps=1e-7):
    idx = durations.sort(descending=True)[1]
    events = events[idx]
    log_h = log_h[idx]
    gamma = log_h.max()
    log_cumsum_h = log_h.sub(gamma).exp().cumsum(0).add(eps).log().add(gamma)
    return -log_h.sub(log_cumsum_h).mul(events).sum().div(events.sum())


torch.manual_seed(30)
net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1, bias=False))
x = torch.randn(10, 4)
durations = torch.rand(10) * 5
events = (torch.rand(10) > 0.3).float()
opt = torch.optim.Adam(net.parameters(), lr=1e-2)
for epoch in range(3):
    opt.zero_grad()
    log_h = net(x).squeeze(-1)
    loss = cox_ph_loss(log_h, durations, events)
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: partial NLL {loss.item():.4f}")
alt = -(
    log_h
    - torch.logcumsumexp(log_h[durations.argsort(descending=True)], 0)[durations.argsort(descending=True).argsort()]
)
print(alt.shape)
