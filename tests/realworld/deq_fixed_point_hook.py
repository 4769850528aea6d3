# Deep equilibrium layer with implicit backward via register_hook (implicit-layers-tutorial.org)
import torch
import torch.nn as nn
import torch.autograd as autograd

torch.manual_seed(0)


def forward_iteration(f, x0, max_iter=50, tol=1e-4):
    f0 = f(x0)
    res = []
    for k in range(max_iter):
        x = f0
        f0 = f(x)
        res.append((f0 - x).norm().item() / (1e-5 + f0.norm().item()))
        if res[-1] < tol:
            break
    return f0, res


class TanhFixedPointLayer(nn.Module):
    def __init__(self, out_features):
        super().__init__()
        self.linear = nn.Linear(out_features, out_features, bias=False)
        with torch.no_grad():
            self.linear.weight.mul_(0.3)


class DEQFixedPoint(nn.Module):
    def __init__(self, f, solver, **kwargs):
        super().__init__()
        self.f = f
        self.solver = solver
        self.kwargs = kwargs
        self.hook_calls = 0

    def forward(self, x):
        with torch.no_grad():
            z, self.forward_res = self.solver(lambda z: self.f(z, x), torch.zeros_like(x), **self.kwargs)
        z = self.f(z, x)
        z0 = z.clone().detach().requires_grad_()
        f0 = self.f(z0, x)

        def backward_hook(grad):
            self.hook_calls += 1
            g, self.backward_res = self.solver(
                lambda y: autograd.grad(f0, z0, y, retain_graph=True)[0] + grad, grad, **self.kwargs)
            return g

        z.register_hook(backward_hook)
        return z


lin = TanhFixedPointLayer(3).linear
f = lambda z, x: torch.tanh(lin(z) + x)
deq = DEQFixedPoint(f, forward_iteration, tol=1e-6, max_iter=40)
x = torch.randn(2, 3, requires_grad=True)
z = deq(x)
loss = (z ** 2).sum()
loss.backward()
print(len(deq.forward_res), len(deq.backward_res), deq.hook_calls)
print(z)
print(x.grad)
print(lin.weight.grad)
