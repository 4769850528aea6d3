w = torch.tensor([0.5, -0.5], requires_grad=True)
b = torch.zeros(1, requires_grad=True)
xs = torch.tensor([[1.0, 2.0], [2.0, 1.0], [3.0, 0.5]])
ys = torch.tensor([1.0, 2.0, 2.5])
lr = 0.05
for i in range(3):
    pred = xs @ w + b
    loss = ((pred - ys) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    print(i, loss.item())
