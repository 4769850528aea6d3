# Checking autograd against sympy's symbolic first and second derivatives, as in a calculus-for-ML notebook
import sympy as sp
import torch

s = sp.symbols("s")
expr = sp.exp(-s**2) * sp.sin(3 * s) + sp.log(1 + s**2)
d1 = sp.diff(expr, s)
d2 = sp.diff(expr, s, 2)
f1 = sp.lambdify(s, d1, "math")
f2 = sp.lambdify(s, d2, "math")
print(sp.simplify(d1))

points = torch.tensor([-1.0, 0.0, 0.5, 2.0], dtype=torch.float64, requires_grad=True)
y = torch.exp(-points**2) * torch.sin(3 * points) + torch.log1p(points**2)
(g,) = torch.autograd.grad(y.sum(), points, create_graph=True)
(h,) = torch.autograd.grad(g.sum(), points)
for p, a, b in zip(points.tolist(), g.tolist(), h.tolist()):
    print(f"{p:5.2f}  autograd {a:+.6f} sympy {f1(p):+.6f}  second {b:+.6f} {f2(p):+.6f}")
print(max(abs(a - f1(p)) for p, a in zip(points.tolist(), g.tolist())) < 1e-10)
