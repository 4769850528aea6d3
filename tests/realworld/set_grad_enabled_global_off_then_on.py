# A script that turns autograd off globally for data preparation, then back on for training
torch.set_grad_enabled(False)
torch.manual_seed(0)
raw = torch.randn(10, 3)
mean, std = raw.mean(0), raw.std(0)
data = (raw - mean) / std
w_true = torch.tensor([[1.0], [-2.0], [0.5]])
target = data @ w_true
print("grad enabled:", torch.is_grad_enabled(), data.requires_grad)

w = torch.zeros(3, 1, requires_grad=True)
pred = data @ w
print("pred requires grad while disabled:", pred.requires_grad)

torch.set_grad_enabled(True)
for epoch in range(3):
    pred = data @ w
    loss = ((pred - target) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.3 * w.grad
        w.grad.zero_()
    print(f"epoch {epoch}: {loss.item():.4f}")


@torch.set_grad_enabled(False)
def evaluate(v):
    return (data @ v - target).abs().mean()


err = evaluate(w)
print(err.requires_grad, round(err.item(), 4), torch.is_grad_enabled())
with torch.set_grad_enabled(False):
    frozen = w * 2
print(frozen.requires_grad, (w * 2).requires_grad)
