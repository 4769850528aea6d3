# register_multi_grad_hook: "all" sees every gradient of a group at once, "any" fires on the first one
import torch
from torch.autograd.graph import register_multi_grad_hook

torch.manual_seed(29)
a = torch.randn(3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
c = torch.randn(3, requires_grad=True)
seen = []


def all_hook(grads):
    seen.append(("all", [None if g is None else round(g.sum().item(), 4) for g in grads]))


def any_hook(grad):
    seen.append(("any", round(grad.sum().item(), 4)))


h1 = register_multi_grad_hook((a, b, c), all_hook)
h2 = register_multi_grad_hook((a, b), any_hook, mode="any")
loss = (a * b).sum() + (b ** 2).sum()
loss.backward()
loss2 = (c.exp() * a).sum()
loss2.backward()
h1.remove()
h2.remove()
for item in seen:
    print(item)
print(a.grad, c.grad)
