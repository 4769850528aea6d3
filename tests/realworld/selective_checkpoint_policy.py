import functools
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint, create_selective_checkpoint_contexts, CheckpointPolicy

def policy(ctx, op, *args, **kwargs):
    if op == torch.ops.aten.mm.default:
        return CheckpointPolicy.MUST_SAVE
    return CheckpointPolicy.PREFER_RECOMPUTE

torch.manual_seed(0)
block = nn.Sequential(nn.Linear(6, 6, bias=False), nn.Tanh(), nn.Linear(6, 6, bias=False))
x = torch.randn(3, 6, requires_grad=True)
context_fn = functools.partial(create_selective_checkpoint_contexts, policy)
y = checkpoint(block, x, use_reentrant=False, context_fn=context_fn)
loss = y.pow(2).sum()
loss.backward()
print(loss)
print(x.grad)
print(block[0].weight.grad.norm())
