"""Two-layer network, gradients by hand vs autograd, printed as a table (lecture notes style)."""
import torch

torch.set_printoptions(precision=6)
dtype = torch.float64
x = torch.tensor([[0.5, -1.0]], dtype=dtype)
t = torch.tensor([[1.0]], dtype=dtype)
W1 = torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], dtype=dtype, requires_grad=True)
b1 = torch.zeros(1, 3, dtype=dtype, requires_grad=True)
W2 = torch.tensor([[0.7], [-0.8], [0.9]], dtype=dtype, requires_grad=True)

z1 = x @ W1 + b1
h = torch.sigmoid(z1)
y = h @ W2
L = 0.5 * ((y - t) ** 2).sum()
L.backward()

with torch.no_grad():
    dy = y - t
    dW2 = h.T @ dy
    dh = dy @ W2.T
    dz1 = dh * h * (1 - h)
    dW1 = x.T @ dz1
    db1 = dz1

print(f"{'param':<6}{'entry':<8}{'by hand':>14}{'autograd':>14}{'|diff|':>10}")
print("-" * 52)
for name, manual, auto in [("W1", dW1, W1.grad), ("b1", db1, b1.grad), ("W2", dW2, W2.grad)]:
    for idx in torch.cartesian_prod(*[torch.arange(s) for s in manual.shape]):
        i = tuple(idx.tolist())
        m, a = manual[i].item(), auto[i].item()
        print(f"{name:<6}{str(i):<8}{m:>14.8f}{a:>14.8f}{abs(m - a):>10.1e}")
print(f"loss = {L.item():.10f}")
