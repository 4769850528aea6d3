from torch.utils._python_dispatch import TorchDispatchMode


class AtenLogger(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.ops = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.ops.append(func.overloadpacket.__name__)
        return func(*args, **(kwargs or {}))


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
w = torch.ones(3)
with AtenLogger() as log:
    y = x * 2
    y.add_(1)
    z = y * 3
    z[0] = 5.0
    w.mul_(2)
    loss = z.sum()
print(log.ops)
loss.backward()
print(x.grad, w)
