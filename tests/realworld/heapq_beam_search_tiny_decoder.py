import heapq
import itertools

torch.manual_seed(3)
VOCAB = ["<s>", "</s>", "a", "b", "c"]
EOS = 1


class TinyDecoder(nn.Module):
    def __init__(self, vocab_size, hidden=8):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, hidden)
        self.cell = nn.GRUCell(hidden, hidden)
        self.out = nn.Linear(hidden, vocab_size)

    def step(self, token, h):
        h = self.cell(self.emb(token), h)
        return F.log_softmax(self.out(h), dim=-1), h


def beam_search(model, beam=3, max_len=4):
    counter = itertools.count()
    h0 = torch.zeros(1, 8)
    heap = [(0.0, next(counter), [0], h0)]
    finished = []
    for _ in range(max_len):
        candidates = []
        for neg_score, _, seq, h in heap:
            if seq[-1] == EOS:
                finished.append((neg_score, seq))
                continue
            logp, h_new = model.step(torch.tensor([seq[-1]]), h)
            top = torch.topk(logp[0], beam)
            for lp, idx in zip(top.values, top.indices):
                heapq.heappush(candidates, (neg_score - lp.item(), next(counter), seq + [idx.item()], h_new))
        heap = heapq.nsmallest(beam, candidates)
        if not heap:
            break
    finished.extend((s, seq) for s, _, seq, _ in heap)
    return sorted(finished)[:beam]


model = TinyDecoder(len(VOCAB))
with torch.no_grad():
    hyps = beam_search(model)
for score, seq in hyps:
    print(f"{-score:8.4f}  {' '.join(VOCAB[i] for i in seq)}")

# train the best hypothesis a little (teacher forcing) and score again
best = hyps[0][1]
opt = torch.optim.Adam(model.parameters(), lr=0.05)
tokens = torch.tensor(best)
for epoch in range(3):
    h = torch.zeros(1, 8)
    nll = 0
    for t in range(len(tokens) - 1):
        logp, h = model.step(tokens[t : t + 1], h)
        nll = nll - logp[0, tokens[t + 1]]
    opt.zero_grad()
    nll.backward()
    opt.step()
    print(f"epoch {epoch}: nll={nll.item():.4f}")
