import torch
from torch.utils.data import TensorDataset, DataLoader, Subset, BatchSampler, SequentialSampler, RandomSampler

torch.manual_seed(0)
X = torch.arange(20.0).view(10, 2) / 10
Y = (X.sum(1) > 1).long()
ds = TensorDataset(X, Y)
train = Subset(ds, list(range(0, 8)))
val = Subset(ds, [8, 9])
bs = BatchSampler(SequentialSampler(train), batch_size=3, drop_last=True)
print(list(bs))
loader = DataLoader(train, batch_sampler=BatchSampler(RandomSampler(train), batch_size=3, drop_last=False))
model = torch.nn.Linear(2, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(2):
    for i, (xb, yb) in enumerate(loader):
        loss = torch.nn.functional.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(epoch, i, xb.shape[0], f"{loss:.4f}")
with torch.no_grad():
    xv, yv = next(iter(DataLoader(val, batch_size=2)))
    acc = (model(xv).argmax(1) == yv).float().mean()
print("val acc", acc.item())
