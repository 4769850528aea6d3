def batches(x, y, size):
    for i in range(0, len(x), size):
        yield x[i:i + size], y[i:i + size]


def train_steps(model, opt, data):
    for xb, yb in data:
        opt.zero_grad()
        loss = F.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
        yield loss


torch.manual_seed(91)
X = torch.randn(9, 2)
Y = X[:, :1] * 3 - X[:, 1:]
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.2)
losses = []
for step_loss in train_steps(model, opt, batches(X, Y, 4)):
    losses.append(step_loss)
    print(f"{step_loss.item():.4f}")
print(len(losses), losses[-1].grad_fn.name())
print(model.weight.grad)
