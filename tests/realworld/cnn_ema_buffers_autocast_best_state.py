import io
import copy
import math
from dataclasses import dataclass


@dataclass
class Config:
    epochs: int = 3
    lr: float = 3e-3
    batch_size: int = 4
    ema_decay: float = 0.9
    clip: float = 1.0


class SmallCNN(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1, bias=False),
            nn.BatchNorm2d(4),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Conv2d(4, 8, 3, padding=1),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
        )
        self.dropout = nn.Dropout(0.2)
        self.head = nn.Linear(8, n_classes)

    def forward(self, x):
        x = self.features(x).flatten(1)
        return self.head(self.dropout(x))


def evaluate(model, X, y):
    model.eval()
    with torch.inference_mode():
        logits = model(X)
        preds = logits.argmax(1)
        confusion = torch.zeros(3, 3, dtype=torch.long)
        for t, p in zip(y, preds):
            confusion[t, p] += 1
    model.train()
    return (preds == y).float().mean().item(), confusion


cfg = Config()
torch.manual_seed(81)
X = torch.randn(12, 1, 6, 6)
y = torch.arange(12) % 3
model = SmallCNN()
ema = copy.deepcopy(model).requires_grad_(False)
opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=0.01)
steps = cfg.epochs * math.ceil(len(X) / cfg.batch_size)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
best_acc, best_state = -1.0, None
for epoch in range(cfg.epochs):
    perm = torch.randperm(len(X))
    running = 0.0
    for i in range(0, len(X), cfg.batch_size):
        idx = perm[i:i + cfg.batch_size]
        xb, yb = X[idx], y[idx]
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(xb)
        loss = F.cross_entropy(logits.float(), yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
        opt.step()
        sched.step()
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(cfg.ema_decay).add_(pm, alpha=1 - cfg.ema_decay)
            for be, bm in zip(ema.buffers(), model.buffers()):
                be.copy_(bm)
        running += loss.item() * len(idx)
    acc, confusion = evaluate(ema, X, y)
    print(f"epoch {epoch + 1}/{cfg.epochs} loss {running / len(X):.4f} acc {acc:.3f} lr {sched.get_last_lr()[0]:.5f}")
    if acc > best_acc:
        best_acc = acc
        buffer = io.BytesIO()
        torch.save(ema.state_dict(), buffer)
        best_state = buffer.getvalue()
print(confusion)
restored = SmallCNN()
restored.load_state_dict(torch.load(io.BytesIO(best_state)))
print(best_acc, evaluate(restored, X, y)[0])
print(model.head.weight.grad)
