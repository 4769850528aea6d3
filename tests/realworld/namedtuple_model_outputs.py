from collections import namedtuple

Output = namedtuple("Output", ["logits", "hidden", "aux_loss"])
torch.manual_seed(110)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(4, 5)
        self.cls = nn.Linear(5, 3)

    def forward(self, x):
        h = torch.relu(self.enc(x))
        return Output(self.cls(h), h, h.abs().mean() * 0.01)


model = Classifier()
batch = torch.randn(6, 4)
labels = torch.tensor([0, 2, 1, 1, 0, 2])
out = model(batch)
logits, hidden, aux = out
loss = F.cross_entropy(out.logits, labels) + out.aux_loss
loss.backward()
print(out.hidden.shape, out._fields)
print(loss, aux)
print(model.cls.bias.grad)
best = out.logits.max(dim=1)
print(best.values, best.indices)
