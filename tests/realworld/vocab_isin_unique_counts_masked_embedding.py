import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(2)
tokens = torch.tensor([[5, 3, 3, 9, 0, 0], [7, 5, 5, 5, 2, 0]])
PAD = 0
stop_words = torch.tensor([3, 7])
vocab, inverse, counts = torch.unique(tokens, return_inverse=True, return_counts=True)
print("vocab", vocab.tolist(), "counts", counts.tolist())
print(inverse)
keep = ~torch.isin(tokens, stop_words) & (tokens != PAD)
print(keep.int())

emb = nn.Embedding(10, 4, padding_idx=PAD)
vecs = emb(tokens)
pooled = (vecs * keep.unsqueeze(-1)).sum(1) / keep.sum(1, keepdim=True).clamp(min=1)
clf = nn.Linear(4, 2)
logits = clf(pooled)
labels = torch.tensor([1, 0])
loss = F.cross_entropy(logits, labels)
loss.backward()
print("loss", round(loss.item(), 4))
rows_with_grad = emb.weight.grad.abs().sum(1).nonzero().flatten()
print("embedding rows updated:", rows_with_grad.tolist())
print(torch.argwhere(keep))
