# A wrapper tensor subclass (no storage of its own; every op goes through its __torch_dispatch__), as tutorials on
# tensor subclasses write one. Its ops are the snippet's code: observing must not run them, nor die on reading it.
from torch.utils._pytree import tree_map

seen = []


class Wrap(torch.Tensor):
    @staticmethod
    def __new__(cls, elem):
        return torch.Tensor._make_wrapper_subclass(cls, elem.shape, dtype=elem.dtype, requires_grad=elem.requires_grad)

    def __init__(self, elem):
        self.elem = elem

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        seen.append(str(func))
        unwrap = lambda t: t.elem if isinstance(t, Wrap) else t
        out = func(*tree_map(unwrap, args), **tree_map(unwrap, kwargs or {}))
        return tree_map(lambda t: Wrap(t) if isinstance(t, torch.Tensor) else t, out)

    __torch_function__ = torch._C._disabled_torch_function_impl


a = Wrap(torch.tensor([1.0, 2.0]))
b = torch.tensor([3.0, 4.0], requires_grad=True)
c = b * 3
d = c * a
d.sum().backward()
print(type(d).__name__, type(b.grad).__name__, b.grad.elem)
print("mul" in " ".join(seen))
