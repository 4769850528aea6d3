from torch.utils._pytree import tree_map


class LoggingTensor(torch.Tensor):
    """A wrapper tensor that logs every aten op it meets (the pattern of PyTorch's subclass docs)."""

    @staticmethod
    def __new__(cls, elem):
        return torch.Tensor._make_wrapper_subclass(
            cls, elem.shape, dtype=elem.dtype, device=elem.device, requires_grad=elem.requires_grad
        )

    def __init__(self, elem):
        self.elem = elem

    def __repr__(self):
        return f"LoggingTensor({self.elem})"

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        unwrap = lambda t: t.elem if isinstance(t, LoggingTensor) else t
        wrap = lambda t: LoggingTensor(t) if isinstance(t, torch.Tensor) and not isinstance(t, LoggingTensor) else t
        out = func(*tree_map(unwrap, args), **tree_map(unwrap, kwargs or {}))
        print("aten:", func.__name__)
        return tree_map(wrap, out)


x = LoggingTensor(torch.tensor([1.0, -2.0, 3.0])).requires_grad_()
w = torch.tensor([0.5, 0.5, 2.0], requires_grad=True)
y = (x * w).relu().sum()
print("forward done:", type(y).__name__)
y.backward()
print("x.grad:", x.grad)
print("w.grad:", w.grad)
