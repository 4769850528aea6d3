# zero_grad in the wrong place: the optimizer steps with zero gradients, nothing learns
torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.1)
X = torch.randn(16, 2)
y = X @ torch.tensor([[1.5], [-0.5]])
history = []
for epoch in range(5):
    pred = model(X)
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    opt.zero_grad()
    opt.step()
    history.append(loss.item())
print(["%.4f" % h for h in history])
print("weights unchanged:", model.weight.data, model.weight.grad)
print(opt.state[model.weight]["step"] if model.weight in opt.state else "no state")
