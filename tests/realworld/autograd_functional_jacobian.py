from torch.autograd.functional import hessian, jacobian
def f(x):
    return torch.stack([x[0] ** 2 * x[1], x[1].exp()])
pt = torch.tensor([1.0, 0.5])
J = jacobian(f, pt)
H = hessian(lambda v: (v ** 3).sum() + v.prod(), pt)
print(J)
print(H)
p = pt.clone().requires_grad_()
g, = torch.autograd.grad(f(p).sum(), p, create_graph=True)
g.sum().backward()
print(p.grad)
