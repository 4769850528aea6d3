import torch
import torch.nn.functional as F

torch.manual_seed(0)
N = 60
X = torch.randn(N, 3)
y = (X @ torch.tensor([1.0, -2.0, 0.5]) > 0).float()
w = torch.zeros(3, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.3
for epoch in range(1, 11):
    perm = torch.randperm(N)
    for xb, yb in zip(X[perm].split(5), y[perm].split(5)):
        logits = xb @ w + b
        loss = F.binary_cross_entropy_with_logits(logits, yb)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
    if epoch % 5 == 0:
        acc = ((X @ w + b > 0).float() == y).float().mean()
        print(f"epoch {epoch}: loss={loss.item():.4f} acc={acc.item():.3f}")
print(w, b)
