torch.manual_seed(0)
W1 = torch.randn(2, 4, requires_grad=True)
b1 = torch.zeros(4, requires_grad=True)
W2 = torch.randn(4, 1, requires_grad=True)
params = [W1, b1, W2]
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
T = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
lr = 0.5
for it in range(30):
    h = torch.sigmoid(X @ W1 + b1)
    out = torch.sigmoid(h @ W2)
    loss = F.binary_cross_entropy(out, T)
    for p in params:
        if p.grad is not None:
            p.grad.zero_()
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
    if it % 10 == 0:
        print(it, round(loss.item(), 5))
print(out.detach().round(decimals=3))
print(W2.grad)
