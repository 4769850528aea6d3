torch.manual_seed(1)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
optimizer = torch.optim.SGD([
    {"params": model[0].parameters()},
    {"params": model[2].parameters(), "lr": 1e-1, "momentum": 0.9},
], lr=1e-2, weight_decay=1e-3)
x = torch.randn(8, 3)
target = x.sum(dim=1, keepdim=True)
for step in range(5):
    optimizer.zero_grad()
    pred = model(x)
    loss = F.mse_loss(pred, target)
    loss.backward()
    optimizer.step()
    print(step, f"{loss.item():.5f}", [g["lr"] for g in optimizer.param_groups])
for g in optimizer.param_groups:
    g["lr"] *= 0.5
print([g["lr"] for g in optimizer.param_groups])
print(model[2].weight)
