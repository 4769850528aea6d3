g = torch.Generator().manual_seed(135)
X = torch.randn(12, 2, generator=g)
true_w = torch.tensor([[2.0], [-1.0]])
Y = X @ true_w + 0.05 * torch.randn(12, 1, generator=g)
w = torch.zeros(2, 1, requires_grad=True)
for epoch in range(3):
    order = torch.randperm(12, generator=g)
    for idx in order.split(4):
        loss = ((X[idx] @ w - Y[idx]) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= 0.2 * w.grad
            w.grad.zero_()
    print(epoch, order[:4].tolist(), w.squeeze().tolist())
noise = torch.empty(3).normal_(generator=g)
drop = torch.bernoulli(torch.full((3,), 0.5), generator=g)
print(noise, drop, loss)
