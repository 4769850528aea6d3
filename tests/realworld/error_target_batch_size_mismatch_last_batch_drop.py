# Labels sliced with a fixed batch size while the inputs come from a DataLoader whose last batch is smaller
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(65)
X = torch.randn(10, 4)
Y = torch.randint(0, 3, (10,))
loader = DataLoader(TensorDataset(X), batch_size=4)
model = nn.Linear(4, 3)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
batch_size = 4
for i, (xb,) in enumerate(loader):
    yb = Y[i * batch_size:(i + 1) * batch_size]
    out = model(xb)
    loss = nn.functional.cross_entropy(out, yb)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(i, xb.shape[0], yb.shape[0], round(loss.item(), 4))
wrong = Y[:batch_size]
loss = nn.functional.cross_entropy(model(xb), wrong)
