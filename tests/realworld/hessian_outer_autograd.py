import torch
from torch.func import hessian, jacrev, jacfwd

torch.manual_seed(3)

def energy(x):
    return (x.sin() * x.roll(1)).sum() + 0.5 * (x ** 2).sum()

x = torch.randn(4, requires_grad=True)
H = hessian(energy)(x)              # depends on x -> ordinary autograd can go through it
J = jacrev(energy)(x)
J2 = jacfwd(energy)(x)
print(J2.dtype, torch.allclose(J, J2.to(J.dtype)))
trace = torch.diagonal(H).sum()
penalty = trace + J.pow(2).sum()
penalty.backward()
print("H =", H)
print("dpenalty/dx =", x.grad)
