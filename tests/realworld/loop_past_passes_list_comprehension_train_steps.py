torch.manual_seed(0)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
X = torch.randn(206, 3)
Y = X @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.1
batches = list(zip(X.split(2), Y.split(2)))


def train_step(xb, yb):
    opt.zero_grad()
    loss = F.mse_loss(model(xb), yb)
    loss.backward()
    opt.step()
    return loss.item()


losses = [train_step(xb, yb) for xb, yb in batches]
print(len(losses), round(sum(losses[-10:]) / 10, 5))
pred = model(X[:4])
final = F.mse_loss(pred, Y[:4])
final.backward()
print(model.weight.grad, model.bias)
