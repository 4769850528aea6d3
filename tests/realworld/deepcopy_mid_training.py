import copy

torch.manual_seed(86)
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
xs = torch.randn(10, 2)
ys = xs.sum(1, keepdim=True)
best_loss, best_model = float("inf"), None
for epoch in range(4):
    opt.zero_grad()
    loss = F.mse_loss(model(xs), ys)
    loss.backward()
    opt.step()
    if loss.item() < best_loss:
        best_loss = loss.item()
        best_model = copy.deepcopy(model)
    print(epoch, f"{loss.item():.4f}")
snapshot = copy.deepcopy(model[0].weight)
print(best_model[0].weight.grad is not None, snapshot.requires_grad, snapshot.is_leaf)
final = best_model(xs).mean()
final.backward()
print(best_model[2].weight.grad)
