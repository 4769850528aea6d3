import itertools

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(2)
ds = TensorDataset(torch.randn(12, 2), torch.randn(12, 1))
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = nn.Linear(2, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for step, (xb, yb) in enumerate(itertools.islice(itertools.cycle(loader), 105)):
    out = model(xb)
    loss = (out - yb).abs().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(step, xb.shape, round(loss.item(), 4))
print(model.bias.grad, out)
