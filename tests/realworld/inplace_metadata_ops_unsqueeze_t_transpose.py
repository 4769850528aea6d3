torch.manual_seed(0)
x = torch.randn(2, 3, requires_grad=True)
h = x * 2
h.unsqueeze_(0)
print(h.shape, h.grad_fn.name())
h.transpose_(1, 2)
print(h.shape, h.grad_fn.name())
h.squeeze_(0)
h.t_()
print(h.shape, h.is_contiguous(), h._version)
m = torch.randn(4, 3, requires_grad=True)
z = h @ m.T
z.sum().backward()
print(x.grad)
print(m.grad)

buf = torch.zeros(6)
v = x.detach().clone()
v.as_strided_((3, 2), (1, 3))
print(v)
try:
    x.resize_(6)
except RuntimeError as e:
    print("resize:", e)
w = torch.arange(6.0).requires_grad_()
w2 = w.clone()
w2.resize_(2, 3)
print(w2.grad_fn.name() if w2.grad_fn else None, w2.shape)
