# Debugging by printing full tracebacks to stdout: errors from a module's forward, a forward hook, a custom
# Function's backward, a DataLoader's collate_fn, an optimizer step and a torch.func transform
import traceback

import torch
import torch.nn as nn
from torch.utils.data import DataLoader


def show(label, fn):
    try:
        fn()
    except Exception:
        print(f"--- {label}")
        traceback.print_exc(file=__import__("sys").stdout)


torch.manual_seed(58)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(5, 1))
show("forward", lambda: model(torch.randn(2, 3)))

ok = nn.Linear(3, 4)
handle = ok.register_forward_hook(lambda m, i, o: o.view(3, 3))
show("hook", lambda: ok(torch.randn(2, 3)))
handle.remove()


class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g.view(-1, 7)


x = torch.randn(4, requires_grad=True)
show("custom backward", lambda: Bad.apply(x).sum().backward())
show("collate", lambda: next(iter(DataLoader([torch.ones(2), torch.ones(3)], batch_size=2))))
opt = torch.optim.SGD([x], lr=0.1, momentum=0.9)
x.grad = torch.ones(5)
show("optimizer", opt.step)
show("vmap", lambda: torch.func.vmap(lambda t: t.item())(torch.ones(3)))
print(traceback.format_exc().strip())
