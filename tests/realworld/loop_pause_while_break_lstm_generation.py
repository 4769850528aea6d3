torch.manual_seed(0)
EOS = 0
vocab = 30
emb = nn.Embedding(vocab, 16)
cell = nn.LSTMCell(16, 32)
out_proj = nn.Linear(32, vocab)
with torch.no_grad():
    out_proj.bias[EOS] = -4.0
h = torch.zeros(1, 32)
c = torch.zeros(1, 32)
tok = torch.tensor([1])
seq = []
steps = 0
with torch.no_grad():
    while True:
        h, c = cell(emb(tok), (h, c))
        logits = out_proj(h)
        tok = torch.distributions.Categorical(logits=logits).sample()
        steps += 1
        if tok.item() == EOS or steps >= 3000:
            break
        seq.append(tok.item())
print("generated", len(seq), "tokens in", steps, "steps")
print("last logits", logits[0, :5])
print("state norms", round(h.norm().item(), 4), round(c.norm().item(), 4))
