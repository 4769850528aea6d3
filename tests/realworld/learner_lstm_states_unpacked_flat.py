class Tagger(nn.Module):
    def __init__(self, vocab=10, dim=4, hidden=6, tags=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.lstm = nn.LSTM(dim, hidden, batch_first=True)
        self.out = nn.Linear(hidden, tags)

    def forward(self, tokens):
        output, hidden, cell = self.lstm(self.emb(tokens))
        return self.out(output)


torch.manual_seed(0)
tagger = Tagger()
tokens = torch.randint(0, 10, (2, 5))
print(tokens.shape)
scores = tagger(tokens)
