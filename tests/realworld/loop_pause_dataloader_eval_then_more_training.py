from torch.utils.data import DataLoader, TensorDataset
torch.manual_seed(0)
X = torch.randn(2400, 6)
Y = (X[:, :3].sum(1, keepdim=True) > 0).float()
model = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.5)
val = DataLoader(TensorDataset(X, Y), batch_size=2)
model.eval()
total = 0.0
with torch.no_grad():
    for xb, yb in val:
        total += F.binary_cross_entropy_with_logits(model(xb), yb, reduction="sum").item()
print("val loss before", round(total / len(X), 4))
model.train()
for step in range(5):
    opt.zero_grad()
    loss = F.binary_cross_entropy_with_logits(model(X[:64]), Y[:64])
    loss.backward()
    opt.step()
print("train loss", round(loss.item(), 4))
