torch.manual_seed(0)
net = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1), nn.Sigmoid())
X = torch.randn(8, 2)
labels = (X[:, 0] > X[:, 1]).long()
criterion = nn.BCELoss()
opt = torch.optim.SGD(net.parameters(), lr=0.5)
try:
    loss = criterion(net(X).squeeze(1), labels)
except RuntimeError as err:
    print("first try:", err)
for epoch in range(4):
    probs = net(X).squeeze(1)
    loss = criterion(probs, labels.float())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f} acc {((probs > 0.5).long() == labels).float().mean():.2f}")
loss = criterion(net(X).squeeze(1), labels)
