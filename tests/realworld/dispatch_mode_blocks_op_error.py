from torch.utils._python_dispatch import TorchDispatchMode


class NoInplace(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.seen = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        name = func.__name__
        self.seen.append(name)
        if name.endswith("_.Tensor") or name.endswith("_.Scalar"):
            raise RuntimeError(f"in-place op {name} is not allowed here")
        return func(*args, **(kwargs or {}))


torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
mode = NoInplace()
with mode:
    h = (w * 2).exp()
    loss = h.sum()
print(sorted(set(mode.seen)))
loss.backward()
print(w.grad)
with mode:
    z = w.detach().clone()
    z.add_(1.0)
print("unreachable")
