import torch
import torch.nn as nn

torch.manual_seed(40)
bag = nn.EmbeddingBag(8, 4, mode="sum")
flat_ids = torch.tensor([1, 3, 3, 5, 7, 0])
offsets = torch.tensor([0, 2, 3])
weights = torch.tensor([0.5, 1.0, 2.0, 1.0, 1.0, -1.0], requires_grad=True)
pooled = bag(flat_ids, offsets, per_sample_weights=weights)
score = pooled.tanh().sum()
score.backward()
print(pooled)
print(weights.grad)
print(bag.weight.grad[3])
