# Values thrown away into _ and __ (max's indices, a second output), as people write them
import torch

torch.manual_seed(6)
logits = torch.randn(4, 5, requires_grad=True)
best, _ = logits.max(dim=1)
_, idx = logits.topk(2, dim=1)
__, counts = torch.unique(idx, return_counts=True)
loss = best.sum() - logits.logsumexp(1).mean()
loss.backward()
print(idx, counts, _.shape)
print(logits.grad)
