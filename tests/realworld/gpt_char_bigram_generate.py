import torch
import torch.nn as nn
import torch.nn.functional as F

text = "hello world hello there"
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
itos = {i: c for c, i in stoi.items()}
data = torch.tensor([stoi[c] for c in text])

class Bigram(nn.Module):
    def __init__(self, v):
        super().__init__()
        self.table = nn.Embedding(v, v)

    def forward(self, idx, targets=None):
        logits = self.table(idx)
        loss = None if targets is None else F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss

    @torch.no_grad()
    def generate(self, idx, n):
        for _ in range(n):
            logits, _ = self(idx[:, -1:])
            probs = F.softmax(logits[:, -1, :], dim=-1)
            idx = torch.cat([idx, torch.multinomial(probs, 1)], dim=1)
        return idx

torch.manual_seed(12)
m = Bigram(len(chars))
opt = torch.optim.AdamW(m.parameters(), lr=0.1)
for step in range(20):
    ix = torch.randint(len(data) - 5, (4,))
    xb = torch.stack([data[i:i + 4] for i in ix])
    yb = torch.stack([data[i + 1:i + 5] for i in ix])
    logits, loss = m(xb, yb)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
print(round(loss.item(), 4))
out = m.generate(torch.zeros((1, 1), dtype=torch.long), 10)
print("".join(itos[i] for i in out[0].tolist()))
