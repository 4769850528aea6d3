from torch.autograd.functional import jacobian
from torch.func import jvp
def f(x):
    return x ** 2 + 3 * x
x = torch.tensor([1.0, 2.0])
J = jacobian(f, x)
out, tangent_out = jvp(f, (x,), (torch.ones(2),))
print(J)
print(out, tangent_out)
