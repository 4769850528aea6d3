class Evaluator:
    def __init__(self, model):
        self.model = model

    @torch.no_grad()
    def accuracy(self, x, y):
        logits = self.model(x)
        return (logits.argmax(1) == y).float().mean().item()


torch.manual_seed(189)
m = nn.Linear(4, 3)
ev = Evaluator(m)
x = torch.randn(5, 4)
print(ev.accuracy(x, torch.tensor([0, 1, 2, 0, 1])))
print(ev.accuracy(x, torch.tensor([0, 1, 2])))
