torch.manual_seed(30)
x = torch.linspace(-1, 1, 8).unsqueeze(1)
y = 3 * x - 0.5 + 0.1 * torch.randn(8, 1)
model = nn.Linear(1, 1)
optimizer = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=4)
calls = 0


def closure():
    global calls
    calls += 1
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    return loss


final = optimizer.step(closure)
print(calls, round(final.item(), 5))
print(model.weight, model.bias)
