torch.manual_seed(12)
w = torch.randn(3, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
x = torch.randn(10, 3)
y = (x.sum(dim=1, keepdim=True) > 0).float()
lr = 0.5
for epoch in range(4):
    p = torch.sigmoid(x @ w + b)
    loss = F.binary_cross_entropy(p, y)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b.sub_(lr * b.grad)
    w.grad = None
    b.grad = None
print(round(loss.item(), 4), w.grad, b.requires_grad)
acc = ((p > 0.5).float() == y).float().mean()
print(acc)
