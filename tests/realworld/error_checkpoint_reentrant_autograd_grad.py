import torch
from torch.utils.checkpoint import checkpoint

torch.manual_seed(2)
w = torch.randn(3, 3, requires_grad=True)


def layer(x):
    return torch.tanh(x @ w)


x = torch.randn(2, 3, requires_grad=True)
y = checkpoint(layer, x, use_reentrant=True)
loss = y.pow(2).sum()
print("loss", round(loss.item(), 4))
(gx,) = torch.autograd.grad(loss, x)
print(gx)
