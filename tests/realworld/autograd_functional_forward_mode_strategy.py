from torch.autograd.functional import hessian, jacobian

torch.manual_seed(121)
M = torch.randn(3, 3)


def field(x):
    return torch.tanh(M @ x) * x


def potential(x):
    return (x.exp() * x).sum() + x.prod()


x = torch.randn(3)
J_rev = jacobian(field, x, vectorize=True)
J_fwd = jacobian(field, x, vectorize=True, strategy="forward-mode")
print(torch.allclose(J_rev, J_fwd, atol=1e-6))
H = hessian(potential, x, vectorize=True, outer_jacobian_strategy="forward-mode")
print(H)
w = torch.randn(3, requires_grad=True)
J_w = jacobian(field, w, create_graph=True)
trace = torch.diagonal(J_w).sum()
trace.backward()
print(J_w, w.grad)
