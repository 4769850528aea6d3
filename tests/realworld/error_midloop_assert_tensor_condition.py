# A sanity check with assert on a tensor condition inside the loop: the loss grows with a too large learning rate
# and the NaN check fires on the fourth step (an AssertionError on the assert's line).
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
x = torch.randn(20, 3) * 10
y = x @ torch.tensor([1.0, -2.0, 0.5])
lr = 0.5
for step in range(10):
    pred = x @ w
    loss = ((pred - y) ** 2).mean()
    print(f"step {step}: loss={loss.item():.3e}")
    assert torch.isfinite(loss) and loss < 1e12, f"diverged at step {step}"
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        w.grad.zero_()
