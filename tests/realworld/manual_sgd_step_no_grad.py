torch.manual_seed(14)
X = torch.randn(16, 2)
true_w = torch.tensor([[2.0], [-1.0]])
Y = X @ true_w + 0.5
w = torch.zeros(2, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.1
for epoch in range(5):
    loss = ((X @ w + b - Y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    print(epoch, round(loss.item(), 4))
print(w.is_leaf, w.requires_grad, w.T, b)
