import torch
import torch.nn.functional as F

torch.manual_seed(9)
emb = torch.randn(5, 8, requires_grad=True)
labels = torch.tensor([0, 0, 1, 1, 2])

z = F.normalize(emb, dim=1)
d = torch.pdist(z)  # condensed distance vector, 10 pairs
i, j = torch.triu_indices(5, 5, offset=1)
same = (labels[i] == labels[j]).float()
margin = 0.5
loss = (same * d.pow(2) + (1 - same) * F.relu(margin - d).pow(2)).mean()
loss.backward()
print("pairs:", list(zip(i.tolist(), j.tolist()))[:4], "...")
print("distances:", d.detach().round(decimals=4))
print(f"loss {loss:.4f}")
print("grad norm per sample:", emb.grad.norm(dim=1))
cos = F.cosine_similarity(emb[0:1], emb, dim=1)
print(cos.detach())
