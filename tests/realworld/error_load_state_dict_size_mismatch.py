import io

import torch
import torch.nn as nn


def make(hidden):
    return nn.Sequential(nn.Linear(4, hidden), nn.ReLU(), nn.Linear(hidden, 2))


torch.manual_seed(1)
trained = make(8)
opt = torch.optim.SGD(trained.parameters(), lr=0.1)
x, y = torch.randn(5, 4), torch.randn(5, 2)
loss = nn.functional.mse_loss(trained(x), y)
loss.backward()
opt.step()
buffer = io.BytesIO()
torch.save(trained.state_dict(), buffer)
buffer.seek(0)
state = torch.load(buffer)
print(list(state.keys()))
fresh = make(8)
print(fresh.load_state_dict(state))
smaller = make(6)
result = smaller.load_state_dict(state, strict=False)  # strict=False does not forgive shapes
