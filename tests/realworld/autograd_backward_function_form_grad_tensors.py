# torch.autograd.backward(tensors, grad_tensors, inputs=...) as the function, with two outputs.
import torch

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
u = a * b
v = (a + b).exp()
torch.autograd.backward([u, v], grad_tensors=[torch.ones(3), torch.tensor([0.1, 0.2, 0.3])])
print("a.grad", a.grad)
print("b.grad", b.grad)

a.grad = None
b.grad = None
w = (u.sum() ** 2).detach()
s = (a**3).sum() + (b * a).sum()
torch.autograd.backward(s, inputs=[b])
print("only b:", b.grad, "a untouched:", a.grad)
(g1,) = torch.autograd.grad(v.sum(), a, retain_graph=True)
(g2,) = torch.autograd.grad((v * 2).sum(), [a])
print(torch.allclose(g1 * 2, g2), w)
