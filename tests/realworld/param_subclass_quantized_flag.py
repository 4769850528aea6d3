import torch
import torch.nn as nn


class FlaggedParams(nn.Parameter):
    """A Parameter that remembers whether it was quantized (as 8-bit libraries do)."""

    def __new__(cls, data=None, requires_grad=True, quant_state=None):
        if data is None:
            data = torch.empty(0)
        obj = torch.Tensor._make_subclass(cls, data, requires_grad)
        obj.quant_state = quant_state
        return obj


torch.manual_seed(6)
layer = nn.Linear(3, 2)
layer.weight = FlaggedParams(layer.weight.data.clone(), quant_state="fp32")
print(type(layer.weight).__name__, layer.weight.quant_state, isinstance(layer.weight, nn.Parameter))
x = torch.randn(4, 3)
out = layer(x)
print(type(out).__name__)
loss = out.square().mean()
loss.backward()
print(layer.weight.grad)
opt = torch.optim.SGD(layer.parameters(), lr=0.1)
opt.step()
print(layer.weight.quant_state, type(layer.weight).__name__)
