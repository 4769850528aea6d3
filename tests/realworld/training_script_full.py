import math
import random
from dataclasses import dataclass

random.seed(51)
torch.manual_seed(51)


@dataclass
class Config:
    hidden: int = 8
    lr: float = 3e-2
    epochs: int = 3
    batch: int = 4


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, cfg.hidden), nn.GELU(), nn.LayerNorm(cfg.hidden), nn.Linear(cfg.hidden, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


def make_data(n):
    xs = torch.rand(n, 2) * 2 - 1
    ys = (xs[:, 0] * xs[:, 1] > 0).float()
    return xs, ys


cfg = Config()
model = MLP(cfg)
opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=0.01)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg.epochs)
xs, ys = make_data(12)
history = []
for epoch in range(cfg.epochs):
    perm = torch.randperm(len(xs))
    total = 0.0
    for i in range(0, len(xs), cfg.batch):
        idx = perm[i : i + cfg.batch]
        logits = model(xs[idx])
        loss = F.binary_cross_entropy_with_logits(logits, ys[idx])
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        total += loss.item() * len(idx)
    sched.step()
    history.append(total / len(xs))
    print(f"epoch {epoch}: loss={history[-1]:.4f} lr={sched.get_last_lr()[0]:.5f}")
with torch.no_grad():
    acc = ((model(xs) > 0).float() == ys).float().mean()
print(f"acc={acc:.3f}", math.isfinite(history[-1]), random.random() < 2)
