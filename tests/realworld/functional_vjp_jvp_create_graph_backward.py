from torch.autograd import gradcheck
from torch.autograd.functional import vjp, jvp, jacobian

torch.manual_seed(0)
W = torch.randn(3, 3, dtype=torch.double, requires_grad=True)

def layer(x):
    return torch.tanh(x @ W)

x0 = torch.randn(2, 3, dtype=torch.double, requires_grad=True)
print("gradcheck", gradcheck(layer, (x0,), eps=1e-6, atol=1e-4))
u = torch.ones(2, 3, dtype=torch.double)
out, vjp_val = vjp(layer, x0, u, create_graph=True)
_, jvp_val = jvp(layer, x0, u, create_graph=True)
J = jacobian(layer, x0, create_graph=True)
reg = vjp_val.pow(2).sum() + jvp_val.pow(2).sum() + J.abs().sum() * 0.01
reg.backward()
print(out.requires_grad, vjp_val.requires_grad, J.shape)
print(W.grad)
print(x0.grad)
