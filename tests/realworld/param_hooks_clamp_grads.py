torch.manual_seed(277)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
handles = []
for p in model.parameters():
    handles.append(p.register_hook(lambda g: torch.clamp(g, -0.05, 0.05)))
x = torch.randn(16, 4) * 5
y = torch.randn(16, 1)
loss = F.mse_loss(model(x), y)
loss.backward()
print(max(p.grad.abs().max().item() for p in model.parameters()) <= 0.05)
print(model[2].weight.grad)
for h in handles:
    h.remove()
model.zero_grad()
loss2 = F.mse_loss(model(x), y)
loss2.backward()
print(model[2].bias.grad)
