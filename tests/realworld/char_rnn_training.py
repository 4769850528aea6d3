torch.manual_seed(3)
text = "hello world"
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text])

class CharRNN(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.rnn = nn.RNN(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, idx, h=None):
        out, h = self.rnn(self.embed(idx), h)
        return self.head(out), h

model = CharRNN(len(chars), 8)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
inputs, targets = data[:-1].unsqueeze(0), data[1:].unsqueeze(0)
for step in range(3):
    logits, hidden = model(inputs)
    loss = F.cross_entropy(logits.view(-1, len(chars)), targets.view(-1))
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    print(f"step {step}: {loss.item():.4f}")
sample = logits[0].argmax(-1)
print("".join(chars[i] for i in sample.tolist()))
