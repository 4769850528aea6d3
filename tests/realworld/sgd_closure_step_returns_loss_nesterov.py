# optimizer.step(closure) also works for SGD/Adam, and returns the closure's loss
torch.manual_seed(2)
X = torch.randn(10, 2)
y = (X[:, :1] * 3 - X[:, 1:]).squeeze(1)
lin = nn.Linear(2, 1)
optimizers = {
    "sgd": torch.optim.SGD(lin.parameters(), lr=0.1, momentum=0.5, nesterov=True, dampening=0),
    "adam": torch.optim.Adam(lin.parameters(), lr=0.05, betas=(0.8, 0.9), amsgrad=True),
}
calls = 0


def closure():
    global calls
    calls += 1
    for opt in optimizers.values():
        opt.zero_grad()
    loss = F.mse_loss(lin(X).squeeze(1), y)
    loss.backward()
    return loss


for name, opt in optimizers.items():
    for _ in range(3):
        loss = opt.step(closure)
    print(f"{name:5s} loss after 3 steps: {loss.item():.5f}")
print("closure calls:", calls)
print(lin.weight.data, lin.bias.grad)
print(optimizers["adam"].state[lin.weight]["max_exp_avg_sq"])
