import warnings

import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint

torch.manual_seed(0)
block = nn.Sequential(nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 4))
head = nn.Linear(4, 1)
x = torch.randn(3, 4)  # a batch from the loader: no requires_grad

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    h = checkpoint(block, x, use_reentrant=True)
    out = head(h).sum()
print("warned:", any("requires_grad" in str(w.message) for w in caught))
out.backward()
print("block weight grad:", block[0].weight.grad)
print("head weight grad is None:", head.weight.grad is None)

# the fix people post: use_reentrant=False
h2 = checkpoint(block, x, use_reentrant=False)
out2 = head(h2).sum()
out2.backward()
print("after fix:", block[0].weight.grad.shape)
