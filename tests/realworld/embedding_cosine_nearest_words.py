import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
vocab = ["king", "queen", "man", "woman", "apple", "orange"]
idx = {w: i for i, w in enumerate(vocab)}
emb = nn.Embedding(len(vocab), 8)
pairs = [("king", "queen"), ("man", "woman"), ("apple", "orange")]
opt = torch.optim.Adam(emb.parameters(), lr=0.05)
for step in range(30):
    a = emb(torch.tensor([idx[p] for p, _ in pairs]))
    b = emb(torch.tensor([idx[q] for _, q in pairs]))
    neg = emb(torch.tensor([idx[q] for _, q in pairs[1:] + pairs[:1]]))
    loss = F.relu(0.5 - F.cosine_similarity(a, b) + F.cosine_similarity(a, neg)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
with torch.no_grad():
    normed = F.normalize(emb.weight, dim=1)
    sims = normed @ normed.T
    sims.fill_diagonal_(-1)
for w in ["king", "apple"]:
    print(w, "->", vocab[sims[idx[w]].argmax()])
print(loss)
