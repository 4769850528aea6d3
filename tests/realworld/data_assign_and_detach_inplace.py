torch.manual_seed(13)
w = torch.randn(3, requires_grad=True)
w.data = torch.ones(3)
loss = (w * 2).sum()
loss.backward()
print(w, w.grad)
h = w * 3
g = h.detach_()
print(g is h, h.requires_grad, h.grad_fn)
y = w * 4
y.data.mul_(10)
y.sum().backward()
print(y, w.grad)
