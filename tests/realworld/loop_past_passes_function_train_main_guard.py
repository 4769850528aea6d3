import torch
import torch.nn as nn


def train(model, data, epochs=120, lr=0.05):
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    X, Y = data
    history = []
    for epoch in range(epochs):
        opt.zero_grad()
        out = model(X)
        loss = nn.functional.mse_loss(out, Y)
        loss.backward()
        opt.step()
        history.append(loss.item())
    return out, loss, history


if __name__ == "__main__":
    torch.manual_seed(42)
    X = torch.rand(40, 2)
    Y = (X[:, :1] + 2 * X[:, 1:]) * 0.5
    model = nn.Linear(2, 1)
    out, loss, history = train(model, (X, Y))
    print(f"first={history[0]:.4f} last={history[-1]:.6f}")
    print(model.weight.data, model.bias.data)
    print(out[:3])
