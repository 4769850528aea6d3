from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler, random_split

gen = torch.Generator().manual_seed(170)
X = torch.randn(20, 2, generator=gen)
Y = (X[:, 0] > 0.5).long()
full = TensorDataset(X, Y)
train_ds, val_ds = random_split(full, [0.75, 0.25], generator=gen)
print(len(train_ds), len(val_ds), train_ds.indices[:5])
labels = Y[train_ds.indices]
class_weight = 1.0 / torch.bincount(labels, minlength=2).clamp(min=1).float()
sampler = WeightedRandomSampler(class_weight[labels], num_samples=len(labels), generator=gen)
model = nn.Linear(2, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for xb, yb in DataLoader(train_ds, batch_size=5, sampler=sampler):
    opt.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    opt.step()
    print(yb.tolist(), round(loss.item(), 4))
with torch.no_grad():
    vx, vy = next(iter(DataLoader(val_ds, batch_size=len(val_ds))))
    acc = (model(vx).argmax(1) == vy).float().mean()
print(acc, model.weight.grad)
