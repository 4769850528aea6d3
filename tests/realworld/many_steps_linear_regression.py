"""A long loop, as a first-timer writes it: 400 steps of manual gradient descent plus 400 steps of an nn.Module
with an optimizer, printing every 100."""
import torch

torch.manual_seed(41)
true_w, true_b = torch.tensor([2.0, -3.4]), 4.2
features = torch.normal(0, 1, (50, 2))
labels = features @ true_w + true_b + torch.normal(0, 0.01, (50,))

w = torch.normal(0, 0.01, size=(2,), requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.03


def linreg(X, w, b):
    return X @ w + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


batch_size = 10
for step in range(400):
    i = (step * batch_size) % len(features)
    X, y = features[i : i + batch_size], labels[i : i + batch_size]
    l = squared_loss(linreg(X, w, b), y)
    l.sum().backward()
    sgd([w, b], lr, batch_size)
    if (step + 1) % 100 == 0:
        with torch.no_grad():
            train_l = squared_loss(linreg(features, w, b), labels)
        print(f"step {step + 1}, loss {float(train_l.mean()):f}")
print(f"error in w: {true_w - w.reshape(true_w.shape)}")
print(f"error in b: {true_b - b}")

net = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(net.parameters(), lr=0.03)
loss_fn = torch.nn.MSELoss()
for step in range(400):
    i = (step * batch_size) % len(features)
    out = net(features[i : i + batch_size])
    loss = loss_fn(out, labels[i : i + batch_size].unsqueeze(1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if (step + 1) % 100 == 0:
        print(f"net step {step + 1}: {loss.item():.6f}")
print(net.weight.data.round(decimals=2), net.bias.data.round(decimals=2))
