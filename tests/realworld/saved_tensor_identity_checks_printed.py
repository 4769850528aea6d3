# Which tensors does autograd keep? The snippet looks at _saved_* itself and compares identities.
import torch

x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
y = x.exp()
print("exp saves its result:", y.grad_fn._saved_result is y, torch.equal(y.grad_fn._saved_result, y))
z = x.pow(3)
print("pow saves self:", z.grad_fn._saved_self is x, "exponent:", z.grad_fn._saved_exponent)
s = torch.sigmoid(x)
print("sigmoid saved result equal:", torch.equal(s.grad_fn._saved_result, s))
w = x * y
print("mul saved other is y:", w.grad_fn._saved_other is y, "self is x:", w.grad_fn._saved_self is x)
print(type(w.grad_fn._raw_saved_self).__name__)
print([n[0].name() if n[0] else None for n in w.grad_fn.next_functions])
w.sum().backward()
print(x.grad)
try:
    w.grad_fn._saved_self
except RuntimeError as e:
    print("after backward:", str(e).split(".")[0])
