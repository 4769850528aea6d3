# torch.autograd.functional: jacobian (vectorize=True, two inputs), hessian and hvp. Each copies its inputs with
# inp.detach().requires_grad_(), which was drawn changing the snippet's `inputs` on those lines.
from torch.autograd.functional import jacobian, hessian, hvp

def exp_reducer(x):
    return x.exp().sum(dim=1)

def pow_adder(x, y):
    return 2 * x + 3 * y ** 2

inputs = torch.rand(2, 2, generator=torch.Generator().manual_seed(0))
J = jacobian(exp_reducer, inputs, vectorize=True)
print(J.shape)
print(J)
Jx, Jy = jacobian(pow_adder, (torch.rand(2), torch.rand(2)), create_graph=True)
print(Jx, Jy)

def pow_reducer(x):
    return x.pow(3).sum()

v = torch.ones(2, 2)
func_output, hvp_out = hvp(pow_reducer, inputs, v)
print(func_output, hvp_out)
H = hessian(pow_reducer, inputs)
print(torch.allclose(H.reshape(4, 4) @ v.reshape(4), hvp_out.reshape(4)))
