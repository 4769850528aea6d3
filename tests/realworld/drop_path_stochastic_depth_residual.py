import torch
import torch.nn as nn


def drop_path(x, drop_prob: float = 0.0, training: bool = False):
    if drop_prob == 0.0 or not training:
        return x
    keep_prob = 1 - drop_prob
    shape = (x.shape[0],) + (1,) * (x.ndim - 1)
    random_tensor = keep_prob + torch.rand(shape, dtype=x.dtype, device=x.device)
    random_tensor.floor_()  # binarize
    return x.div(keep_prob) * random_tensor


class DropPath(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        return drop_path(x, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}"


class Block(nn.Module):
    def __init__(self, d, p):
        super().__init__()
        self.fc = nn.Linear(d, d)
        self.drop_path = DropPath(p)

    def forward(self, x):
        return x + self.drop_path(torch.relu(self.fc(x)))


torch.manual_seed(8)
blocks = nn.Sequential(*[Block(4, p) for p in torch.linspace(0, 0.5, 3).tolist()])
print(blocks)
x = torch.randn(6, 4)
out = blocks(x)
out.sum().backward()
print(blocks[2].fc.weight.grad.abs().sum() > 0)
blocks.eval()
with torch.no_grad():
    print(torch.allclose(blocks(x), blocks(x)))
