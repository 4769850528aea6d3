torch.manual_seed(0)
vocab, hidden = 50, 128
embed = nn.Embedding(vocab, 32)
gru = nn.GRUCell(32, hidden)
proj = nn.Linear(hidden, vocab)
h = torch.zeros(1, hidden)
token = torch.tensor([0])
tokens = []
temperature = 0.8
with torch.no_grad():
    for t in range(2000):
        h = gru(embed(token), h)
        probs = F.softmax(proj(h) / temperature, dim=-1)
        token = torch.multinomial(probs, 1).squeeze(1)
        tokens.append(token.item())
print(len(tokens), tokens[:20])
print("last probs max", probs.max().item())
counts = torch.bincount(torch.tensor(tokens), minlength=vocab)
print("most common", counts.argmax().item(), counts.max().item())
