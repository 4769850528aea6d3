# Linear regression "from scratch": the update rebinds w instead of changing it in place
torch.manual_seed(0)
x = torch.linspace(-1, 1, 20).unsqueeze(1)
y = 3 * x - 1 + 0.05 * torch.randn(20, 1)

w = torch.zeros(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.5

for epoch in range(3):
    y_hat = x @ w + b
    loss = ((y_hat - y) ** 2).mean()
    loss.backward()
    print(f"epoch {epoch}: loss={loss.item():.4f} w.grad={w.grad} is_leaf={w.is_leaf}")
    w = w - lr * w.grad
    b = b - lr * b.grad
