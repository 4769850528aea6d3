import torch
import torch.nn as nn


class Trainer:
    def __init__(self, model, lr):
        self.model = model
        self.opt = torch.optim.Adam(model.parameters(), lr=lr)
        self.steps = 0
        self.last_loss = None

    @classmethod
    def for_regression(cls, in_dim, lr=1e-2):
        torch.manual_seed(21)
        return cls(nn.Sequential(nn.Linear(in_dim, 8), nn.ReLU(), nn.Linear(8, 1)), lr)

    @property
    def weight_norm(self):
        return torch.sqrt(sum(p.pow(2).sum() for p in self.model.parameters()))

    def __call__(self, x, y):
        self.opt.zero_grad()
        self.last_loss = nn.functional.l1_loss(self.model(x), y)
        self.last_loss.backward()
        self.opt.step()
        self.steps += 1
        return self.last_loss.item()

    def __repr__(self):
        return f"Trainer(steps={self.steps}, loss={self.last_loss.item() if self.last_loss is not None else None:.4f})"


trainer = Trainer.for_regression(2)
X = torch.randn(16, 2)
Y = X[:, :1] * 3 - X[:, 1:] + 0.5
for _ in range(4):
    trainer(X, Y)
print(trainer)
wn = trainer.weight_norm
print(f"weight norm {wn:.4f}", wn.requires_grad)
final_loss = trainer.last_loss
print(final_loss, trainer.model[2].bias.grad)
