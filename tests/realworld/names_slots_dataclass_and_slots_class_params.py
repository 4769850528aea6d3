# Parameters kept in a slots dataclass and in a class with __slots__: named by their path (params.w, holder.scale)
from dataclasses import dataclass
import torch


@dataclass(slots=True)
class Params:
    w: torch.Tensor
    b: torch.Tensor


class Plain:
    __slots__ = ("scale", "__weakref__")

    def __init__(self, s):
        self.scale = s


torch.manual_seed(0)
params = Params(torch.randn(3, requires_grad=True), torch.zeros(1, requires_grad=True))
holder = Plain(torch.ones(3, requires_grad=True))
x = torch.randn(4, 3)
loss = ((x * holder.scale) @ params.w + params.b).pow(2).mean()
loss.backward()
print(params.w.grad)
