# A small library function that supports tensor-likes as torch's "Extending torch" docs show: it hands itself to
# __torch_function__ when has_torch_function_unary/variadic says so, and a tensor subclass that overrides it
import torch
from torch.overrides import handle_torch_function, has_torch_function_unary, has_torch_function_variadic

dispatched = []


def soft_threshold(x, lam=0.5):
    """Proximal operator of lam * |x|."""
    if has_torch_function_unary(x):
        dispatched.append(type(x).__name__)
        return handle_torch_function(soft_threshold, (x,), x, lam=lam)
    return torch.sign(x) * torch.clamp(x.abs() - lam, min=0)


def weighted_l2(a, b, w):
    if has_torch_function_variadic(a, b, w):
        dispatched.append("weighted_l2")
        return handle_torch_function(weighted_l2, (a, b, w), a, b, w)
    return (w * (a - b) ** 2).sum()


class Clipped(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func is soft_threshold:
            kwargs["lam"] = kwargs.get("lam", 0.5) * 2
        with torch._C.DisableTorchFunctionSubclass():
            return func(*args, **kwargs)


torch.manual_seed(68)
x = torch.randn(5, requires_grad=True)
z = soft_threshold(x)
loss = weighted_l2(z, torch.zeros(5), torch.arange(5.0))
loss.backward()
print(dispatched, z, x.grad)
c = x.detach().as_subclass(Clipped)
zc = soft_threshold(c)
print(dispatched, type(zc).__name__, zc)
