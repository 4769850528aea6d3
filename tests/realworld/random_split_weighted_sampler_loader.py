from torch.utils.data import TensorDataset, DataLoader, random_split, WeightedRandomSampler

torch.manual_seed(71)
X = torch.randn(12, 3)
y = (X.sum(1) > 0).long()
ds = TensorDataset(X, y)
train_ds, val_ds = random_split(ds, [9, 3], generator=torch.Generator().manual_seed(0))
weights = torch.where(y[train_ds.indices] == 1, 2.0, 1.0)
sampler = WeightedRandomSampler(weights, num_samples=9, replacement=True)
loader = DataLoader(train_ds, batch_size=4, sampler=sampler, drop_last=True)
model = nn.Linear(3, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    for xb, yb in loader:
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, len(loader), yb.tolist())
with torch.no_grad():
    vx, vy = val_ds[:]
    acc = (model(vx).argmax(1) == vy).float().mean()
print(f"val acc {acc:.2f}", train_ds.indices)
