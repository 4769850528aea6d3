import torch
import torch.nn as nn
from torch.optim.lr_scheduler import LRScheduler


class InverseSqrtWarmup(LRScheduler):
    def __init__(self, optimizer, warmup_steps, last_epoch=-1):
        self.warmup_steps = warmup_steps
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        step = max(self.last_epoch, 1)
        scale = min(step / self.warmup_steps, (self.warmup_steps / step) ** 0.5)
        return [base_lr * scale for base_lr in self.base_lrs]


torch.manual_seed(7)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.2)
sched = InverseSqrtWarmup(opt, warmup_steps=3)
x, y = torch.randn(4, 2), torch.randn(4, 1)
lrs = []
for step in range(6):
    loss = (model(x) - y).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    lrs.append(round(sched.get_last_lr()[0], 4))
print(lrs)
print(sched.state_dict()["last_epoch"], model.bias)
