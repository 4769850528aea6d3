import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)
n_ent, n_rel, dim = 6, 2, 4
ent = nn.Embedding(n_ent, dim)
rel = nn.Embedding(n_rel, dim)
nn.init.uniform_(ent.weight, -0.5, 0.5)
nn.init.uniform_(rel.weight, -0.5, 0.5)
rel.weight.data = F.normalize(rel.weight.data, p=2, dim=1)
triples = torch.tensor([[0, 0, 1], [1, 1, 2], [3, 0, 4]])
opt = torch.optim.SGD([*ent.parameters(), *rel.parameters()], lr=0.05)
criterion = nn.MarginRankingLoss(margin=1.0)
for epoch in range(3):
    ent.weight.data = F.normalize(ent.weight.data, p=2, dim=1)
    h, r, t = triples.unbind(1)
    corrupt_t = torch.randint(0, n_ent, t.shape)
    pos = (ent(h) + rel(r) - ent(t)).norm(p=1, dim=1)
    neg = (ent(h) + rel(r) - ent(corrupt_t)).norm(p=1, dim=1)
    loss = criterion(pos, neg, -torch.ones_like(pos))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, f"{loss.item():.4f}")
print(rel.weight.grad)
