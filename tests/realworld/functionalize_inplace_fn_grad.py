from torch.func import functionalize, grad, vmap


def f(x):
    y = x.clone()
    y.mul_(2)
    y.add_(torch.tensor([1.0, 0.0, 0.0]))
    y.clamp_(max=5.0)
    return y.pow(2).sum()


x = torch.tensor([1.0, 2.0, 3.0])
g1 = grad(f)(x)
g2 = grad(functionalize(f))(x)
print(g1, g2, torch.equal(g1, g2))
batch = torch.stack([x, x * 0.5, -x])
print(vmap(grad(functionalize(f)))(batch))

xr = x.clone().requires_grad_()
loss = f(xr)
loss.backward()
print(loss, xr.grad)
