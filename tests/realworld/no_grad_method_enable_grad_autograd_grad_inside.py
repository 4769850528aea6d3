# An evaluation method decorated @torch.no_grad() that still takes an input gradient inside enable_grad (saliency)
import torch
import torch.nn as nn


class Evaluator:
    def __init__(self, model):
        self.model = model

    @torch.no_grad()
    def evaluate(self, x, y):
        logits = self.model(x)
        acc = (logits.argmax(1) == y).float().mean()
        with torch.enable_grad():
            xg = x.clone().requires_grad_(True)
            score = self.model(xg).gather(1, y[:, None]).sum()
            (sal,) = torch.autograd.grad(score, xg)
        return acc, sal.abs(), logits


torch.manual_seed(31)
model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3))
x, y = torch.randn(5, 4), torch.tensor([0, 1, 2, 1, 0])
acc, saliency, logits = Evaluator(model).evaluate(x, y)
print(acc, logits.requires_grad, saliency.requires_grad)
print(saliency.sum(1))
