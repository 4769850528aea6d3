torch.manual_seed(19)
X = torch.randn(20, 2)
true_w = torch.tensor([[1.5], [-0.7]])
Y = X @ true_w + 0.3
W = torch.zeros(2, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.1
for i in range(5):
    Y_hat = X @ W + b
    loss = ((Y_hat - Y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        W -= lr * W.grad
        b -= lr * b.grad
        W.grad.zero_()
        b.grad.zero_()
    if i % 2 == 0:
        print(i, round(loss.item(), 5))
print(W.squeeze().tolist(), b.item())
