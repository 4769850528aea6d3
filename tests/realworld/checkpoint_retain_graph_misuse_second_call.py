# A learner reuses a checkpointed block's output for two losses; the second backward fails without retain_graph.
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint

torch.manual_seed(0)
block = nn.Sequential(nn.Linear(4, 4), nn.GELU(), nn.Linear(4, 4))
x = torch.randn(3, 4, requires_grad=True)

h = checkpoint(block, x, use_reentrant=False)
loss_a = h.pow(2).mean()
loss_b = h.abs().mean()
loss_a.backward(retain_graph=True)
print("after a:", x.grad.norm().item() > 0)
loss_b.backward()
print("after b:", round(x.grad.sum().item(), 5))

h2 = checkpoint(block, x, use_reentrant=True)
loss_c = h2.sum()
loss_c.backward()
print("reentrant grad of block bias:", block[2].bias.grad)
loss_c.backward()  # second time: the graph is gone
print("never printed")
