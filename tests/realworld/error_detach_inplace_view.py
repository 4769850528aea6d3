w = torch.randn(4, 4, requires_grad=True)
h = w * 2
top = h[:2]
print(top.is_leaf, top._base is h)
try:
    top.detach_()
except RuntimeError as err:
    print("caught:", str(err).splitlines()[0])
safe = top.detach()
print(safe.requires_grad)
h.detach_()
print(h.requires_grad, h.grad_fn)
row = w[0]
row.detach_()
