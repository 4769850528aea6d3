import math
torch.manual_seed(0)

def f(w, x):
    return torch.tanh(x @ w).pow(2).sum() + 0.5 * w.norm() ** 2

w = torch.randn(3, dtype=torch.float64, requires_grad=True)
x = torch.randn(4, 3, dtype=torch.float64)
out = f(w, x)
out.backward()
eps = 1e-6
numeric = torch.zeros_like(w)
with torch.no_grad():
    for i in range(w.numel()):
        e = torch.zeros_like(w)
        e[i] = eps
        numeric[i] = (f(w + e, x) - f(w - e, x)) / (2 * eps)
print(f"{'i':>2} {'autograd':>12} {'numeric':>12} {'diff':>10}")
for i in range(3):
    diff = abs(w.grad[i].item() - numeric[i].item())
    print(f"{i:>2} {w.grad[i].item():12.6f} {numeric[i].item():12.6f} {diff:10.2e}")
print("ok", torch.allclose(w.grad, numeric, atol=1e-6), math.isfinite(out.item()))
