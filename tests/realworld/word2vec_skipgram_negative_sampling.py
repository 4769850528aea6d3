# Skip-gram with negative sampling, as in many word2vec-from-scratch posts.
import torch
import torch.nn as nn
import torch.nn.functional as F

corpus = "the cat sat on the mat the dog sat on the log".split()
vocab = sorted(set(corpus))
w2i = {w: i for i, w in enumerate(vocab)}
pairs = [(w2i[corpus[i]], w2i[corpus[j]]) for i in range(len(corpus)) for j in (i - 1, i + 1) if 0 <= j < len(corpus)]
counts = torch.bincount(torch.tensor([w2i[w] for w in corpus]), minlength=len(vocab)).float()
noise = counts.pow(0.75)
noise /= noise.sum()


class SGNS(nn.Module):
    def __init__(self, n, d):
        super().__init__()
        self.inp = nn.Embedding(n, d, sparse=True)
        self.out = nn.Embedding(n, d, sparse=True)
        nn.init.uniform_(self.inp.weight, -0.5 / d, 0.5 / d)
        nn.init.zeros_(self.out.weight)

    def forward(self, center, context, negatives):
        v = self.inp(center)  # (B, d)
        u = self.out(context)  # (B, d)
        u_neg = self.out(negatives)  # (B, K, d)
        pos = F.logsigmoid((v * u).sum(-1))
        neg = F.logsigmoid(-torch.bmm(u_neg, v.unsqueeze(2)).squeeze(2)).sum(-1)
        return -(pos + neg).mean()


torch.manual_seed(0)
model = SGNS(len(vocab), 5)
opt = torch.optim.SGD(model.parameters(), lr=0.5)
center = torch.tensor([c for c, _ in pairs])
context = torch.tensor([o for _, o in pairs])
for epoch in range(4):
    negatives = torch.multinomial(noise, len(pairs) * 3, replacement=True).view(len(pairs), 3)
    loss = model(center, context, negatives)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"epoch {epoch} loss {loss.item():.5f} sparse grad: {model.inp.weight.grad.is_sparse}")
emb = model.inp.weight.detach()
sims = F.cosine_similarity(emb[w2i["cat"]].unsqueeze(0), emb)
print({w: round(s, 3) for w, s in zip(vocab, sims.tolist())})
