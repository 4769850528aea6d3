torch.manual_seed(0)


class Tracker:
    def __init__(self, name):
        self.name = name
        self.best = None

    def __del__(self):
        print(f"tracker {self.name} closed, best={self.best:.4f}")


model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(8, 3)
y = x.sum(1, keepdim=True)
tracker = Tracker("run1")
for step in range(3):
    opt.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    tracker.best = loss.item() if tracker.best is None else min(tracker.best, loss.item())
del tracker
print("after del")
tmp = Tracker("tmp")
tmp.best = 0.0
tmp = None
print("final loss", round(loss.item(), 4))
