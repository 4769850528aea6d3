import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint

calls = {"n": 0}

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, x):
        calls["n"] += 1
        print("block forward", calls["n"], tuple(x.shape))
        return torch.relu(self.lin(x))

torch.manual_seed(0)
blocks = nn.ModuleList([Block() for _ in range(2)])
x = torch.randn(3, 4, requires_grad=True)
h = x
for b in blocks:
    h = checkpoint(b, h, use_reentrant=False)
h.sum().backward()
print("forward calls:", calls["n"])
print(x.grad)
