import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)

text = "hello world. hello there. the world says hello. "
chars = sorted(set(text))
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for ch, i in stoi.items()}
vocab_size = len(chars)
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
print(f"vocab size: {vocab_size}, data length: {len(data)}")

block_size = 8
batch_size = 4


def get_batch():
    ix = torch.randint(len(data) - block_size - 1, (batch_size,))
    x = torch.stack([data[i : i + block_size] for i in ix])
    y = torch.stack([data[i + 1 : i + block_size + 1] for i in ix])
    return x, y


class CharLSTM(nn.Module):
    def __init__(self, vocab_size, emb=8, hidden=16, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, emb)
        self.lstm = nn.LSTM(emb, hidden, num_layers=layers, batch_first=True, dropout=0.1)
        self.head = nn.Linear(hidden, vocab_size)

    def forward(self, idx, state=None):
        out, state = self.lstm(self.embed(idx), state)
        return self.head(out), state

    @torch.no_grad()
    def generate(self, start, n, temperature=1.0):
        self.eval()
        idx = torch.tensor([[stoi[c] for c in start]])
        logits, state = self(idx)
        out = list(start)
        for _ in range(n):
            probs = F.softmax(logits[:, -1, :] / temperature, dim=-1)
            nxt = torch.multinomial(probs, num_samples=1)
            out.append(itos[nxt.item()])
            logits, state = self(nxt, state)
        self.train()
        return "".join(out)


model = CharLSTM(vocab_size)
n_params = sum(p.numel() for p in model.parameters())
print(f"{n_params} parameters")
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)

for step in range(30):
    xb, yb = get_batch()
    logits, _ = model(xb)
    loss = F.cross_entropy(logits.view(-1, vocab_size), yb.view(-1))
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
    if step % 10 == 0 or step == 29:
        print(f"step {step:3d} | loss {loss.item():.4f} | ppl {loss.exp().item():8.3f}")

sample = model.generate("he", 20, temperature=0.8)
print(repr(sample))

# truncated BPTT over the whole text: carry the state, detach it between chunks
hidden = None
tbptt_losses = []
for start in range(0, len(data) - block_size - 1, block_size):
    chunk = data[start : start + block_size].unsqueeze(0)
    target = data[start + 1 : start + block_size + 1].unsqueeze(0)
    if hidden is not None:
        hidden = tuple(h.detach() for h in hidden)
    logits, hidden = model(chunk, hidden)
    chunk_loss = F.cross_entropy(logits.squeeze(0), target.squeeze(0))
    optimizer.zero_grad()
    chunk_loss.backward()
    optimizer.step()
    tbptt_losses.append(round(chunk_loss.item(), 3))
print("tbptt:", len(tbptt_losses), "chunks, last", tbptt_losses[-1])
h_n, c_n = hidden
