from collections import OrderedDict, defaultdict

import torch
import torch.nn as nn

torch.manual_seed(1)
net = nn.Sequential(OrderedDict([("hidden", nn.Linear(2, 3)), ("act", nn.ReLU()), ("out", nn.Linear(3, 1))]))
history = defaultdict(list)
snapshots = OrderedDict()
opt = torch.optim.SGD(net.parameters(), lr=0.1)
X = torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([[1.0], [1.0], [0.0]])
for epoch in range(3):
    opt.zero_grad()
    pred = net(X)
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    history["loss"].append(loss.detach())
    history["grad_norm"].append(net.out.weight.grad.norm())
    snapshots[f"epoch{epoch}"] = net.hidden.weight.detach().clone()
    opt.step()
print(dict(history))
print(list(snapshots))
delta = snapshots["epoch2"] - snapshots["epoch0"]
print(delta)
print(net.hidden.weight.grad)
