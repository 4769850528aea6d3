# Module with two inputs, only one requiring grad: what register_full_backward_hook / pre_hook receive.
import torch
import torch.nn as nn


class Gate(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 3)

    def forward(self, x, mask):
        return self.lin(x) * mask


def pre_hook(module, grad_output):
    print(f"pre : grad_output[0] sum={grad_output[0].sum():.4f}")
    return (grad_output[0] * 2,)


def hook(module, grad_input, grad_output):
    print("hook: grad_input =", [None if g is None else tuple(g.shape) for g in grad_input])
    print(f"hook: grad_output[0] sum={grad_output[0].sum():.4f}")


torch.manual_seed(0)
gate = Gate()
h1 = gate.register_full_backward_pre_hook(pre_hook)
h2 = gate.register_full_backward_hook(hook)
x = torch.randn(2, 3, requires_grad=True)
mask = (torch.rand(2, 3) > 0.3).float()
out = gate(x, mask)
out.sum().backward()
print("x.grad:", x.grad)
h1.remove()
h2.remove()
x.grad = None
gate(x, mask).sum().backward()
print("x.grad without hooks:", x.grad)
