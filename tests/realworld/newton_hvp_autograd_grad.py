import torch

torch.manual_seed(0)


def f(x):
    return (x ** 4).sum() + (x[0] * x[1]) ** 2 - 3 * x.sum()


x = torch.tensor([1.5, -0.5], requires_grad=True)
for it in range(4):
    y = f(x)
    g, = torch.autograd.grad(y, x, create_graph=True)
    H = torch.stack([torch.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(2)])
    step = torch.linalg.solve(H, g)
    with torch.no_grad():
        x -= step
    print(f"it {it}: f={y.item():.6f} |g|={g.norm().item():.3e}")
print(x)
# Hessian-vector product by double backward
w = torch.randn(3, requires_grad=True)
A = torch.randn(3, 3)
loss = torch.tanh(A @ w).pow(2).sum()
grad_w = torch.autograd.grad(loss, w, create_graph=True)[0]
v = torch.tensor([1.0, 0.0, -1.0])
hvp = torch.autograd.grad(grad_w @ v, w)[0]
print(hvp)
Hfull = torch.autograd.functional.hessian(lambda t: torch.tanh(A @ t).pow(2).sum(), w.detach())
print(torch.allclose(Hfull @ v, hvp, atol=1e-5))
# scalar Newton for sqrt(2)
z = torch.tensor(1.0, requires_grad=True)
for _ in range(5):
    fz = z ** 2 - 2
    dz, = torch.autograd.grad(fz, z)
    z = (z - fz / dz).detach().requires_grad_()
print(f"{z.item():.10f}")
