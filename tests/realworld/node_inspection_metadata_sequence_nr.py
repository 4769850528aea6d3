# Poking at the autograd graph the way the autograd mechanics notes do
torch.manual_seed(0)
a = torch.randn(3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
c = a * b
d = c.exp().sum()

node = d.grad_fn
print(node.name(), type(node).__name__, isinstance(node, torch.autograd.graph.Node))
print([fn.name() if fn is not None else None for fn, _ in node.next_functions])
mul = c.grad_fn
print(mul.name(), [fn.name() for fn, _ in mul.next_functions], [nr for _, nr in mul.next_functions])
print(torch.equal(mul._saved_self, a), torch.equal(mul._saved_other, b))
mul.metadata["note"] = "the product"
print(mul.metadata)
print(mul._sequence_nr() < node._sequence_nr())
acc = mul.next_functions[0][0]
print(acc.variable is a, acc.name())

order = []
for n in (node, node.next_functions[0][0], mul, acc):
    n.register_hook(lambda gi, go, n=n: order.append(n.name()))
d.backward()
print(order)
print(a.grad, b.grad)
print(torch.allclose(a.grad, b * c.exp()))
