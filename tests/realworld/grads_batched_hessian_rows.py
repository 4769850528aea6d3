torch.manual_seed(41)
x = torch.randn(3, requires_grad=True)


def energy(v):
    return (v ** 3).sum() + v[0] * v[1] * v[2]


e = energy(x)
(g,) = torch.autograd.grad(e, x, create_graph=True)
eye = torch.eye(3)
(hess,) = torch.autograd.grad(g, x, eye, is_grads_batched=True, retain_graph=True)
print(hess)
print(torch.allclose(hess, torch.autograd.functional.hessian(energy, x)))
g.pow(2).sum().backward()
print(x.grad)
