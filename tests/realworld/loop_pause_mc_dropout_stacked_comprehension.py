torch.manual_seed(0)
net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 1))
x = torch.randn(16, 4)
net.train()  # keep dropout on
with torch.no_grad():
    samples = torch.stack([net(x) for _ in range(1300)])
mean, std = samples.mean(0), samples.std(0)
print(mean.shape, std.shape)
print("uncertainty", std.squeeze(1)[:4])
