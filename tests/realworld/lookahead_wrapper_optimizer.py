# Lookahead optimizer (Zhang et al. 2019) wrapping Adam, as found in many GitHub repos.
import torch
import torch.nn as nn
from collections import defaultdict


class Lookahead(torch.optim.Optimizer):
    def __init__(self, base, k=3, alpha=0.5):
        self.base = base
        self.k = k
        self.alpha = alpha
        self.param_groups = base.param_groups
        self.state = defaultdict(dict)
        self.defaults = base.defaults
        self._step = 0
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p]["slow"] = p.detach().clone()

    def zero_grad(self, set_to_none=True):
        self.base.zero_grad(set_to_none=set_to_none)

    @torch.no_grad()
    def step(self, closure=None):
        loss = self.base.step(closure)
        self._step += 1
        if self._step % self.k == 0:
            for group in self.param_groups:
                for p in group["params"]:
                    slow = self.state[p]["slow"]
                    slow.add_(p - slow, alpha=self.alpha)
                    p.copy_(slow)
        return loss


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 6), nn.ReLU(), nn.Linear(6, 1))
opt = Lookahead(torch.optim.Adam(model.parameters(), lr=0.05), k=2)
X = torch.randn(20, 2)
Y = (X[:, :1] * X[:, 1:]).sign()
for epoch in range(5):
    opt.zero_grad()
    out = model(X)
    loss = nn.functional.binary_cross_entropy_with_logits(out, (Y > 0).float())
    loss.backward()
    opt.step()
    print("epoch %d  loss %.4f  step %d" % (epoch, loss.item(), opt._step))

slow0 = opt.state[model[0].weight]["slow"]
print("slow == fast after sync:", torch.equal(slow0, model[0].weight.detach()))
