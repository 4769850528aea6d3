import torch


def fit(x, y, lr=0.02, max_steps=1000, tol=1e-3):
    w = torch.zeros(2, requires_grad=True)
    for step in range(max_steps):
        pred = x @ w
        loss = ((pred - y) ** 2).mean()
        if loss.item() < tol:
            return w, loss, step
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    return w, loss, max_steps


torch.manual_seed(0)
x = torch.randn(16, 2)
y = x @ torch.tensor([2.0, -1.0])
w, final_loss, steps = fit(x, y)
print(steps, round(final_loss.item(), 5))
print(w, w.grad)
