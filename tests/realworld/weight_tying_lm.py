class TinyLM(nn.Module):
    def __init__(self, vocab, dim):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.proj = nn.Linear(dim, dim)
        self.decoder = nn.Linear(dim, vocab, bias=False)
        self.decoder.weight = self.embed.weight

    def forward(self, tokens):
        h = torch.tanh(self.proj(self.embed(tokens)))
        return self.decoder(h)


torch.manual_seed(9)
lm = TinyLM(7, 4)
tokens = torch.tensor([[1, 2, 3], [4, 5, 6]])
targets = torch.tensor([[2, 3, 4], [5, 6, 0]])
logits = lm(tokens)
loss = F.cross_entropy(logits.reshape(-1, 7), targets.reshape(-1))
loss.backward()
print(lm.decoder.weight is lm.embed.weight, len(list(lm.parameters())))
print(lm.embed.weight.grad)
