from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
xs = torch.randn(12, 2)
ys = xs @ torch.tensor([1.5, -2.0]) + 0.3
loader = DataLoader(
    TensorDataset(xs, ys), batch_size=4, num_workers=2, persistent_workers=True, prefetch_factor=2, shuffle=False
)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    total = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        pred = model(xb).squeeze(-1)
        loss = F.mse_loss(pred, yb)
        loss.backward()
        opt.step()
        total += loss.item() * len(xb)
    print(epoch, round(total / len(xs), 5))
print(model.weight, model.bias)
