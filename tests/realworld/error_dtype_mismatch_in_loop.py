class Scorer(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(3, 1)

    def score(self, feats):
        return self.proj(feats).squeeze(-1)

    def forward(self, batch):
        return torch.stack([self.score(f) for f in batch])


torch.manual_seed(191)
scorer = Scorer()
batches = [
    [torch.randn(3), torch.randn(3)],
    [torch.randn(3), torch.randn(3, dtype=torch.float64)],
]
for batch in batches:
    scores = scorer(batch)
    scores.sum().backward()
    print(scores.shape)
