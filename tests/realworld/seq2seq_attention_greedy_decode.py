import random

torch.manual_seed(5)
random.seed(5)
SOS, EOS = 0, 1


class Encoder(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)

    def forward(self, src):
        return self.gru(self.embedding(src))


class AttnDecoder(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.Wa = nn.Linear(hidden, hidden)
        self.Ua = nn.Linear(hidden, hidden)
        self.Va = nn.Linear(hidden, 1)
        self.gru = nn.GRU(2 * hidden, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward_step(self, token, hidden, enc_out):
        emb = self.embedding(token)
        query = hidden.permute(1, 0, 2)
        scores = self.Va(torch.tanh(self.Wa(query) + self.Ua(enc_out))).squeeze(2).unsqueeze(1)
        weights = F.softmax(scores, dim=-1)
        context = torch.bmm(weights, enc_out)
        output, hidden = self.gru(torch.cat((emb, context), dim=2), hidden)
        return self.out(output), hidden, weights


vocab, hidden = 7, 5
enc, dec = Encoder(vocab, hidden), AttnDecoder(vocab, hidden)
src = torch.tensor([[2, 3, 4, 5]])
tgt = torch.tensor([[3, 4, 5, EOS]])
enc_out, h = enc(src)
token = torch.tensor([[SOS]])
loss = 0
for t in range(tgt.size(1)):
    logits, h, attn = dec.forward_step(token, h, enc_out)
    loss = loss + F.cross_entropy(logits.squeeze(1), tgt[:, t])
    teacher = random.random() < 0.5
    token = tgt[:, t : t + 1] if teacher else logits.argmax(-1).detach()
    print(f"t={t} teacher={teacher} attn={attn.squeeze().tolist()}")
loss = loss / tgt.size(1)
loss.backward()
print(f"loss {loss.item():.4f}")
print(enc.embedding.weight.grad[2:6])
