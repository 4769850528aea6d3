# the "without optim" section of the nn tutorial
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
x = torch.randn(8, 2)
y = x[:, :1] * 2 - x[:, 1:]
learning_rate = 0.05
for t in range(6):
    y_pred = model(x)
    loss = F.mse_loss(y_pred, y)
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad
    print(t, loss.item())
first = model[0].weight
print(first, first.grad)
