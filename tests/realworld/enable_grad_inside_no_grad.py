torch.manual_seed(6)
x = torch.randn(3, requires_grad=True)
with torch.no_grad():
    a = x * 2
    with torch.enable_grad():
        b = x * 3
    c = b + 1
    print(torch.is_grad_enabled())
print(a.requires_grad, b.requires_grad, c.requires_grad)
(b * b).sum().backward()
print(x.grad)


@torch.enable_grad()
def inner(t):
    return t.sin()


with torch.no_grad():
    s = inner(x)
s.sum().backward()
print(s.grad_fn.name(), x.grad)
