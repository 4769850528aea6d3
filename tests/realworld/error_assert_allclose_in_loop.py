def manual_grad(w, x, y):
    return 2 * x.T @ (x @ w - y) / len(x)


torch.manual_seed(293)
x = torch.randn(6, 2)
y = torch.randn(6, 1)
w = torch.zeros(2, 1, requires_grad=True)
for step in range(3):
    loss = ((x @ w - y) ** 2).mean()
    loss.backward()
    expected = manual_grad(w.detach(), x, y)
    assert torch.allclose(w.grad, expected, atol=1e-6), f"step {step}: {w.grad.flatten().tolist()}"
    print(step, "ok", round(loss.item(), 5))
    with torch.no_grad():
        w -= 0.1 * w.grad
