import torch
import torch.nn as nn

torch.manual_seed(0)
bag = nn.EmbeddingBag(8, 3, mode="max", padding_idx=0)
inp = torch.tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]])
out = bag(inp)
bag_mean = nn.EmbeddingBag(8, 3, mode="mean")
flat = torch.tensor([1, 2, 4, 5, 6, 7])
offsets = torch.tensor([0, 2, 2, 5])
out2 = bag_mean(flat, offsets)
(out.sum() + out2.pow(2).sum()).backward()
print(out)
print(out2)
print(bag.weight.grad)
print(bag_mean.weight.grad)
