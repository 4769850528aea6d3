import torch

torch.manual_seed(0)
x = torch.randn(4, 3, requires_grad=True)
W = torch.randn(3, 2, requires_grad=True)
y = torch.tanh(x @ W)
v = torch.ones_like(y) * torch.tensor([1.0, -0.5])
(gx,) = torch.autograd.grad(y, x, grad_outputs=v, retain_graph=True)
print("vjp wrt x:\n", gx)
loss = y.pow(2).sum()
loss.backward()
print("W.grad", W.grad)
print("x.grad is None?", x.grad is None or x.grad.shape)
