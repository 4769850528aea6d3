import torch
import torch.nn as nn


class Scaler(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 3)

    def forward(self, x, scale=1.0, *, shift=None):
        out = self.lin(x) * scale
        if shift is not None:
            out = out + shift
        return out


def pre_hook(module, args, kwargs):
    kwargs = dict(kwargs)
    kwargs["scale"] = kwargs.get("scale", 1.0) * 2
    print("pre_hook saw", sorted(kwargs))
    return args, kwargs


def post_hook(module, args, kwargs, output):
    print("post_hook shift given:", kwargs.get("shift") is not None)
    return output.tanh()


torch.manual_seed(22)
m = Scaler()
h1 = m.register_forward_pre_hook(pre_hook, with_kwargs=True)
h2 = m.register_forward_hook(post_hook, with_kwargs=True)
x = torch.randn(2, 3, requires_grad=True)
shift = torch.ones(3, requires_grad=True)
y = m(x, scale=0.5, shift=shift)
y.sum().backward()
print(x.grad)
print(shift.grad)
h1.remove()
h2.remove()
y_plain = m(x, scale=0.5, shift=shift)
print(torch.allclose(y, torch.tanh(y_plain * 2 - shift)))
