from torch.autograd.functional import vjp, jvp, vhp, jacobian


def model_fn(x):
    return torch.stack([x[0] * x[1], x[1].exp(), x.sum() ** 2])


def scalar_fn(x):
    return (x ** 3).sum() + x[0] * x[1]


torch.manual_seed(109)
x = torch.randn(2)
v_out = torch.ones(3)
out, vjp_val = vjp(model_fn, x, v_out)
print(out, vjp_val)
out2, jvp_val = jvp(model_fn, x, torch.tensor([1.0, 0.0]))
print(jvp_val)
J = jacobian(model_fn, x)
print(torch.allclose(J[:, 0], jvp_val), torch.allclose(J.T @ v_out, vjp_val))
val, vhp_val = vhp(scalar_fn, x, torch.ones(2))
print(vhp_val)
x_leaf = x.clone().requires_grad_(True)
_, vjp_graph = vjp(model_fn, x_leaf, v_out, create_graph=True)
vjp_graph.pow(2).sum().backward()
print(x_leaf.grad)
