# A tensor subclass that counts ops through __torch_function__ (the "extending torch" docs pattern)
from collections import Counter


class CountedTensor(torch.Tensor):
    counts = Counter()

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        cls.counts[getattr(func, "__name__", str(func))] += 1
        return super().__torch_function__(func, types, args, kwargs or {})


torch.manual_seed(1)
w = torch.randn(3, 2).as_subclass(CountedTensor).requires_grad_()
x = torch.randn(4, 3)
out = (x @ w).relu()
loss = out.sum()
loss.backward()
print(type(out).__name__, type(loss).__name__, type(w.grad).__name__)
print(w.grad)
print(sorted(CountedTensor.counts.items())[:6])
print(isinstance(loss, CountedTensor), loss.item())
