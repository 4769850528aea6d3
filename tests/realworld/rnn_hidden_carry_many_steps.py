import torch
import torch.nn as nn

torch.manual_seed(0)
cell = nn.RNNCell(2, 4)
head = nn.Linear(4, 1)
opt = torch.optim.SGD(list(cell.parameters()) + list(head.parameters()), lr=0.01)
h = torch.zeros(1, 4)
seq = torch.randn(130, 1, 2)
for t in range(seq.shape[0]):
    h = cell(seq[t], h.detach())
    y = head(h)
    loss = (y - seq[t, :, :1]).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(h, y, loss)
