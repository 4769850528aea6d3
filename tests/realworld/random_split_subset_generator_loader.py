from torch.utils.data import DataLoader, TensorDataset, random_split, Subset

g = torch.Generator().manual_seed(42)
X = torch.arange(20, dtype=torch.float32).unsqueeze(1) / 10
Y = 2 * X + 1
full = TensorDataset(X, Y)
train_set, val_set = random_split(full, [0.75, 0.25], generator=g)
print(len(train_set), len(val_set), type(train_set).__name__)
print("val indices:", sorted(val_set.indices))
first_five = Subset(full, range(5))
print([round(t.item(), 1) for t, _ in first_five])

loader = DataLoader(train_set, batch_size=4, shuffle=True, generator=torch.Generator().manual_seed(0), drop_last=True)
torch.manual_seed(0)
model = nn.Linear(1, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for xb, yb in loader:
        loss = F.mse_loss(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        xv = torch.stack([val_set[i][0] for i in range(len(val_set))])
        yv = torch.stack([val_set[i][1] for i in range(len(val_set))])
        val = F.mse_loss(model(xv), yv)
    print(f"epoch {epoch}: train {loss.item():.4f} val {val.item():.4f} batches {len(loader)}")
print(model.weight.item(), model.bias.item())
