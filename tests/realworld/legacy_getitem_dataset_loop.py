class PairDataset:
    def __init__(self, n):
        g = torch.Generator().manual_seed(137)
        self.x = torch.randn(n, 2, generator=g)
        self.y = (self.x.sum(1, keepdim=True) > 0).float()

    def __getitem__(self, i):
        return self.x[i], self.y[i]


data = PairDataset(5)
clf = nn.Linear(2, 1)
torch.nn.init.zeros_(clf.weight)
torch.nn.init.constant_(clf.bias, 0.1)
opt = torch.optim.SGD(clf.parameters(), lr=0.5)
seen = 0
for xi, yi in data:
    opt.zero_grad()
    loss = F.binary_cross_entropy_with_logits(clf(xi), yi)
    loss.backward()
    opt.step()
    seen += 1
print(seen, round(loss.item(), 5))
print(clf.weight, clf.bias)
