# A tensor subclass that remembers a "unit" label through ops, used as a model input; custom __repr__.
import torch
import torch.nn as nn


class Tagged(torch.Tensor):
    @staticmethod
    def __new__(cls, data, tag="?"):
        t = torch.Tensor._make_subclass(cls, data, data.requires_grad)
        t.tag = tag
        return t

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        tags = [a.tag for a in args if isinstance(a, Tagged)]
        out = super().__torch_function__(func, types, args, kwargs)
        if isinstance(out, Tagged):
            out.tag = "+".join(dict.fromkeys(tags)) or getattr(out, "tag", "?")
        return out

    def __repr__(self):
        return f"Tagged[{getattr(self, 'tag', '?')}]({self.as_subclass(torch.Tensor).tolist()})"


torch.manual_seed(0)
lin = nn.Linear(2, 1)
x = Tagged(torch.tensor([[1.0, 2.0], [3.0, -1.0]]), tag="meters")
y = lin(x)
print(type(y).__name__, y.tag)
loss = y.pow(2).mean()
loss.backward()
print(repr(loss))
print("weight grad:", lin.weight.grad)
z = Tagged(torch.ones(2, requires_grad=True), tag="seconds")
w = (z * 3).sum()
w.backward()
print(z.grad, isinstance(z.grad, Tagged))
