torch.manual_seed(59)
x = torch.randn(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
print(x.is_leaf, y.is_leaf, out.is_leaf)
print(x.requires_grad, y.requires_grad, x.detach().requires_grad)
print(type(y.grad_fn).__name__, y.grad_fn.name())
fn = out.grad_fn
while fn is not None:
    print(type(fn).__name__, [type(n).__name__ if n is not None else None for n, _ in fn.next_functions])
    fn = fn.next_functions[0][0] if fn.next_functions else None
print(x._version, y._version)
y2 = x * 1
y2.add_(1)
print(y2._version, y2.grad_fn.name())
a = torch.randn(2, 2)
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad, a.is_leaf)
b = (a * a).sum()
print([type(n).__name__ for n, _ in b.grad_fn.next_functions[0][0].next_functions])
out.backward(retain_graph=True)
print(x.grad)
