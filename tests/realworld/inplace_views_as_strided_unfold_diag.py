torch.manual_seed(4)
a = torch.randn(4, 4, requires_grad=True)
h = a * 2
d = h.diagonal()
d.add_(1)
col = h[:, 1]
col.mul_(3)
h.t_()
s = h.unsqueeze(0).squeeze_(0)
win = torch.randn(8, requires_grad=True)
u = (win + 0).unfold(0, 3, 2)
u_sum = u.sum()
loss = s.sum() + (s ** 2).mean() + u_sum
loss.backward()
print(a.grad)
print(win.grad)
print(h.grad_fn.name(), d._version)
