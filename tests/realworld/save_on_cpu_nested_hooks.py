import torch
from torch.autograd.graph import save_on_cpu, saved_tensors_hooks

torch.manual_seed(4)
w = torch.randn(3, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
x = torch.randn(2, 3)

counts = {"pack": 0, "unpack": 0}
def p(t):
    counts["pack"] += 1
    return t
def u(t):
    counts["unpack"] += 1
    return t

with save_on_cpu(pin_memory=False):
    h1 = torch.tanh(x @ w + b)
    with saved_tensors_hooks(p, u):
        h2 = torch.exp(h1) * h1
    y = h2.log1p().mean()
y.backward()
print(counts)
print("w.grad:\n", w.grad)
print("b.grad:", b.grad)
