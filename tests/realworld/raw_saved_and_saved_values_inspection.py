import torch

a = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, -1.0, 0.25], requires_grad=True)
c = a * b
d = c.exp()
e = torch.log1p(d).sum()

node = c.grad_fn
print(node.name(), [k for k in dir(node) if k.startswith("_saved")])
print("saved self:", node._saved_self)
print("saved other is b:", node._saved_other is b, torch.equal(node._saved_other, b))
raw = node._raw_saved_self
print(type(raw).__name__)
print("exp saves its result:", torch.equal(d.grad_fn._saved_result, d))
print(e.grad_fn.name(), e.grad_fn._saved_self_sym_sizes, e.grad_fn.next_functions[0][0].name())
e.backward()
print(a.grad, b.grad)
try:
    print(node._saved_self)
except RuntimeError as err:
    print("after backward:", str(err).split(".")[0])
