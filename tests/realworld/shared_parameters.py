torch.manual_seed(15)

class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(6, 4)
        self.proj = nn.Linear(4, 6, bias=False)
        self.proj.weight = self.emb.weight
        self.shared = nn.Linear(4, 4)

    def forward(self, tok):
        h = self.emb(tok)
        h = torch.relu(self.shared(h))
        h = torch.relu(self.shared(h))
        return self.proj(h)

model = Tied()
tok = torch.tensor([1, 2, 5])
logits = model(tok)
loss = F.cross_entropy(logits, torch.tensor([2, 5, 1]))
loss.backward()
print(model.proj.weight is model.emb.weight, len(list(model.parameters())))
print(model.shared.weight.grad.sum())
