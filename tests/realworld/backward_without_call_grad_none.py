torch.manual_seed(21)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
unused = nn.Linear(3, 1)
x = torch.randn(5, 3)
loss = model(x).pow(2).mean()
loss.backward
print([p.grad for p in model.parameters()][0])
loss.backward()
for name, p in model.named_parameters():
    print(name, tuple(p.grad.shape), round(p.grad.norm().item(), 4))
print(unused.weight.grad is None)
l2 = sum(p.pow(2).sum() for p in model.parameters())
print(round(l2.item(), 4))
