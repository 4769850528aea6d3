import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(44)
query_tower = nn.Linear(6, 4)
doc_tower = nn.Linear(6, 4)
queries = torch.randn(3, 6)
docs = torch.randn(5, 6)
q = query_tower(queries)
d = doc_tower(docs)
cos = nn.CosineSimilarity(dim=-1, eps=1e-8)
sim = cos(q.unsqueeze(1), d.unsqueeze(0))  # 3 x 5
dist = nn.PairwiseDistance(p=2, keepdim=True)(q, d[:3])
positives = torch.tensor([0, 3, 4])
loss = F.cross_entropy(sim / 0.1, positives) + dist.mean() * 0.01
loss.backward()
print(sim.argmax(dim=1), dist.squeeze(1))
print(query_tower.weight.grad.norm().item() > 0)
