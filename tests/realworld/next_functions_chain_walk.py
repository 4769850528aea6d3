torch.manual_seed(0)
a = torch.randn(2, requires_grad=True)
b = torch.randn(2, requires_grad=True)
c = a * b
d = c.exp() + a
loss = d.sum()

def walk(fn, depth=0):
    if fn is None:
        return
    print("  " * depth + type(fn).__name__)
    for nxt, _ in fn.next_functions:
        walk(nxt, depth + 1)

walk(loss.grad_fn)
print([(type(fn).__name__, nr) for fn, nr in loss.grad_fn.next_functions[0][0].next_functions])
print(loss.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0].next_functions[0][0].variable is a)
leaf_acc = d.grad_fn.next_functions[1][0]
print(leaf_acc.variable is a, leaf_acc.variable.shape)
loss.backward()
print(a.grad, b.grad)
