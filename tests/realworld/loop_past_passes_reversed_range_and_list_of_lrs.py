import torch

torch.manual_seed(0)
x_data = torch.linspace(0, 1, 10)
y_data = 3 * x_data + 1
results = {}
for lr in [0.01, 0.1, 0.5]:
    w = torch.tensor(0.0, requires_grad=True)
    b = torch.tensor(0.0, requires_grad=True)
    for t in reversed(range(40)):
        y_hat = w * x_data + b
        loss = ((y_hat - y_data) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w.sub_(lr * w.grad)
            b.sub_(lr * b.grad)
        w.grad = None
        b.grad = None
    results[lr] = (w.item(), b.item(), loss.item())
for lr, (wv, bv, lv) in results.items():
    print(f"lr={lr:<5} w={wv:7.4f} b={bv:7.4f} loss={lv:.5f}")
print(y_hat)
