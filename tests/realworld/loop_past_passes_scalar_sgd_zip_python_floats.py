# Fitting y = a*x + b on scalars, one sample at a time, for many epochs (a course's first exercise).
import torch

xs = [1.0, 2.0, 3.0, 4.0]
ys = [3.1, 4.9, 7.2, 8.8]
a = torch.tensor(0.0, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
lr = 0.01
for epoch in range(500):
    for xv, yv in zip(xs, ys):
        pred = a * xv + b
        loss = (pred - yv) ** 2
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    if epoch % 100 == 0:
        print(f"epoch {epoch:3d}: a={a.item():.4f} b={b.item():.4f} loss={loss.item():.5f}")
print(f"final: a={a.item():.4f} b={b.item():.4f}")
