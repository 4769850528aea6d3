import torch
import torch.nn as nn

torch.manual_seed(3)
emb = nn.Embedding(10, 4)  # forgot sparse=True
opt = torch.optim.SparseAdam(emb.parameters(), lr=0.1)
idx = torch.tensor([1, 2, 2, 7])
loss = emb(idx).pow(2).sum()
opt.zero_grad()
loss.backward()
print("grad is sparse:", emb.weight.grad.is_sparse)
opt.step()
print("never printed")
