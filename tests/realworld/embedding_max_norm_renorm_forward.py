import torch
import torch.nn as nn

torch.manual_seed(2)
emb = nn.Embedding(6, 3, max_norm=1.0, padding_idx=0)
with torch.no_grad():
    emb.weight.mul_(3.0)
print(emb.weight.norm(dim=1))
tokens = torch.tensor([[1, 2, 0], [2, 3, 5]])
vectors = emb(tokens)  # rows looked up are renormalised in place, under no_grad
print(emb.weight.norm(dim=1))
head = nn.Linear(3, 1)
loss = head(vectors).squeeze(-1).sum()
loss.backward()
print(emb.weight.grad)
print(vectors.norm(dim=-1))
