import torch

torch.manual_seed(4)
w = torch.randn(3, requires_grad=True)
y = w * 2
z = y.detach_()  # y itself leaves the graph
print(y.requires_grad, y.grad_fn, z is y)
u = (w * 3).exp()
snapshot = u.data  # shares storage, no history
snapshot[0] = 0.0  # torch cannot see this write
loss = (u * w).sum()
loss.backward()
print(w.grad)
v = torch.ones(3, requires_grad=True)
v.data.mul_(10)  # "update" without autograd noticing
out = (v * w.detach()).sum()
out.backward()
print(v, v.grad)
x = torch.zeros(2, requires_grad=True)
x.data = torch.tensor([5.0, 6.0])
print(x, x.is_leaf)
