import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
emb = nn.Embedding(5, 3, padding_idx=0, scale_grad_by_freq=True)
tokens = torch.tensor([[1, 3, 1, 0], [3, 3, 2, 0]])
vectors = emb(tokens)
weights = torch.linspace(0.5, 2.0, 4).view(1, 4, 1)
loss = (vectors * weights).sum()
loss.backward()
print(emb.weight.grad)
plain = torch.randn(5, 3, requires_grad=True)
picked = F.embedding(torch.tensor([4, 4, 2, 4]), plain)
(picked * torch.arange(1.0, 5.0).unsqueeze(1)).sum().backward()
print(plain.grad)
sparse_emb = nn.Embedding(6, 2, sparse=True)
out = sparse_emb(torch.tensor([[5, 1, 5]]))
out.pow(2).sum().backward()
print(sparse_emb.weight.grad.to_dense())
bag = nn.EmbeddingBag(6, 2, mode="max")
pooled = bag(torch.tensor([1, 2, 4, 4, 5]), torch.tensor([0, 2]))
pooled.sum().backward()
print(bag.weight.grad)
