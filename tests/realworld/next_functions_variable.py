torch.manual_seed(18)
w = torch.randn(2, requires_grad=True)
b = torch.randn(2, requires_grad=True)
y = w * 3 + b
print(type(y.grad_fn).__name__)
for fn, idx in y.grad_fn.next_functions:
    print(type(fn).__name__, idx)
leaf_node = y.grad_fn.next_functions[1][0]
print(leaf_node.variable is b, leaf_node.variable)
mul_node = y.grad_fn.next_functions[0][0]
acc = mul_node.next_functions[0][0]
print(acc.variable.shape, acc.variable is w)
y.sum().backward()
print(w.grad, b.grad)
