import torch
import torch.nn as nn
from torch.nn.modules.module import register_module_full_backward_hook, register_module_forward_hook

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
x = torch.randn(5, 3)
shapes = []


def record_shape(module, inp, out):
    shapes.append((type(module).__name__, tuple(out.shape)))


with model[0].register_forward_hook(record_shape), model[2].register_forward_hook(record_shape):
    y = model(x)
z = model(x)                       # hooks already removed
print(shapes)

grad_norms = {}
handle = register_module_full_backward_hook(
    lambda m, gin, gout: grad_norms.setdefault(type(m).__name__, []).append(round(gout[0].norm().item(), 4))
)
fwd = register_module_forward_hook(lambda m, i, o: None)
loss = z.pow(2).sum()
loss.backward()
handle.remove()
fwd.remove()
print(grad_norms)
(y.sum()).backward()
print(model[0].weight.grad)
