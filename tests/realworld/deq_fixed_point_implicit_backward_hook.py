import torch
import torch.nn as nn


class DEQ(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Linear(d, d)
        self.hook = None

    def cell(self, z, x):
        return torch.tanh(self.f(z) + x)

    def forward(self, x, iters=40):
        with torch.no_grad():
            z = torch.zeros_like(x)
            for _ in range(iters):
                z = self.cell(z, x)
        z = self.cell(z, x)  # one step with the graph
        z0 = z.clone().detach().requires_grad_()
        f0 = self.cell(z0, x)

        def backward_hook(grad):
            if self.hook is not None:
                self.hook.remove()
            g = grad
            for _ in range(iters):
                g = torch.autograd.grad(f0, z0, g, retain_graph=True)[0] + grad
            return g

        self.hook = z.register_hook(backward_hook)
        return z


torch.manual_seed(7)
deq = DEQ(3)
with torch.no_grad():
    deq.f.weight.mul_(0.3)
x = torch.randn(2, 3, requires_grad=True)
z_star = deq(x)
loss = z_star.pow(2).sum()
loss.backward()
print(torch.allclose(z_star, deq.cell(z_star, x), atol=1e-5))
print(x.grad)
print(deq.f.bias.grad)
