torch.manual_seed(130)
params = [torch.randn(2, 2, requires_grad=True), torch.zeros(2, requires_grad=True)]
m = [torch.zeros_like(p) for p in params]
v = [torch.zeros_like(p) for p in params]
x = torch.randn(5, 2)
y = torch.randn(5, 2)
b1, b2, lr, eps = 0.9, 0.999, 0.05, 1e-8
for t in range(1, 4):
    loss = ((x @ params[0] + params[1] - y) ** 2).mean()
    for p in params:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p, mi, vi in zip(params, m, v):
            mi.mul_(b1).add_(p.grad, alpha=1 - b1)
            vi.mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
            mhat = mi / (1 - b1 ** t)
            vhat = vi / (1 - b2 ** t)
            p -= lr * mhat / (vhat.sqrt() + eps)
    print(t, f"{loss.item():.5f}")
print(m[0])
print(v[1])
