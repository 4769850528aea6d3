# timm-style DropPath (stochastic depth): a per-sample mask from new_empty().bernoulli_(), scaled in place
import torch
import torch.nn as nn


def drop_path(x, drop_prob: float = 0.0, training: bool = False, scale_by_keep: bool = True):
    if drop_prob == 0.0 or not training:
        return x
    keep_prob = 1 - drop_prob
    shape = (x.shape[0],) + (1,) * (x.ndim - 1)
    random_tensor = x.new_empty(shape).bernoulli_(keep_prob)
    if keep_prob > 0.0 and scale_by_keep:
        random_tensor.div_(keep_prob)
    return x * random_tensor


class Block(nn.Module):
    def __init__(self, dim, drop):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * 2), nn.GELU(), nn.Linear(dim * 2, dim))
        self.drop = drop
        self.gamma = nn.Parameter(1e-1 * torch.ones(dim))  # LayerScale

    def forward(self, x):
        return x + drop_path(self.gamma * self.mlp(self.norm(x)), self.drop, self.training)


torch.manual_seed(35)
blocks = nn.Sequential(*[Block(4, p) for p in torch.linspace(0, 0.5, 3).tolist()])
x = torch.randn(6, 3, 4)
out = blocks(x)
loss = out.pow(2).mean()
loss.backward()
print(out[:, 0, 0])
print(blocks[2].gamma.grad)
blocks.eval()
print(torch.allclose(blocks(x), blocks(x)))
