# Beam search over a tiny GRU decoder, then a sequence-level loss on the best beam (topk, gather, index_select).
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)
V, H, beam = 6, 5, 3
emb = nn.Embedding(V, H)
cell = nn.GRUCell(H, H)
out_proj = nn.Linear(H, V)

h = torch.zeros(1, H)
tokens = torch.zeros(1, 1, dtype=torch.long)
scores = torch.zeros(1)
for t in range(3):
    logits = out_proj(cell(emb(tokens[:, -1]), h))
    logp = F.log_softmax(logits, dim=-1)
    cand = (scores.unsqueeze(1) + logp).view(-1)
    top_scores, top_idx = cand.topk(beam if t > 0 else beam, largest=True, sorted=True)
    prev = top_idx // V
    nxt = top_idx % V
    h = cell(emb(tokens[:, -1]), h).index_select(0, prev)
    tokens = torch.cat([tokens.index_select(0, prev), nxt.unsqueeze(1)], dim=1)
    scores = top_scores
    print(f"t={t} beams={tokens.tolist()} scores={[round(s, 3) for s in scores.tolist()]}")

best = scores.argmax()
seq_loss = -scores[best]
seq_loss.backward()
print("best:", tokens[best].tolist(), "loss", round(seq_loss.item(), 4))
print("emb grad rows used:", emb.weight.grad.abs().sum(1).nonzero().flatten().tolist())
sorted_s, order = torch.sort(scores, descending=True)
picked = torch.gather(scores.detach(), 0, order)
print(torch.allclose(sorted_s.detach(), picked))
