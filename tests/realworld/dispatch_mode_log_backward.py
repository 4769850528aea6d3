from torch.utils._python_dispatch import TorchDispatchMode
from torch.overrides import TorchFunctionMode


class AtenLogger(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.ops = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.ops.append(str(func.overloadpacket.__name__))
        return func(*args, **(kwargs or {}))


class FnLogger(TorchFunctionMode):
    def __init__(self):
        super().__init__()
        self.ops = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.ops.append(getattr(func, "__name__", str(func)))
        return func(*args, **(kwargs or {}))


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
with AtenLogger() as log, FnLogger() as flog:
    y = x * 2
    y.add_(1)
    z = y * 3
    z[0] = 5.0
    loss = z.sum()
    loss.backward()
print(log.ops)
print(flog.ops)
print(x.grad)
