"""Tabular classifier: categorical embeddings + numeric features, 3-fold CV, focal loss, AUC by hand."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
N = 60
cat_a = torch.randint(0, 4, (N,))
cat_b = torch.randint(0, 3, (N,))
num = torch.randn(N, 2)
logit_true = 0.8 * num[:, 0] - 0.5 * num[:, 1] + (cat_a == 2).float() - 0.7 * (cat_b == 1).float()
y = (torch.sigmoid(logit_true) > torch.rand(N)).float()


class TabNet(nn.Module):
    def __init__(self, cards=(4, 3), emb_dims=(2, 2), n_num=2, hidden=8):
        super().__init__()
        self.embs = nn.ModuleList(nn.Embedding(c, d) for c, d in zip(cards, emb_dims))
        self.bn = nn.BatchNorm1d(n_num)
        self.mlp = nn.Sequential(nn.Linear(sum(emb_dims) + n_num, hidden), nn.ReLU(), nn.Dropout(0.1), nn.Linear(hidden, 1))

    def forward(self, cats, nums):
        e = [emb(cats[:, i]) for i, emb in enumerate(self.embs)]
        return self.mlp(torch.cat([*e, self.bn(nums)], dim=1)).squeeze(1)


def focal_loss(logits, targets, alpha=0.25, gamma=2.0):
    bce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = torch.exp(-bce)
    a_t = alpha * targets + (1 - alpha) * (1 - targets)
    return (a_t * (1 - p_t) ** gamma * bce).mean()


def auc(scores, labels):
    order = torch.argsort(scores, descending=True)
    l = labels[order]
    tps = torch.cumsum(l, 0)
    fps = torch.cumsum(1 - l, 0)
    tpr = tps / tps[-1].clamp(min=1)
    fpr = fps / fps[-1].clamp(min=1)
    return torch.trapezoid(tpr, fpr).item()


cats = torch.stack([cat_a, cat_b], dim=1)
folds = torch.arange(N) % 3
results = []
for k in range(3):
    tr, va = folds != k, folds == k
    model = TabNet()
    opt = torch.optim.AdamW(model.parameters(), lr=0.05, weight_decay=1e-3)
    for epoch in range(5):
        model.train()
        loss = focal_loss(model(cats[tr], num[tr]), y[tr])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        scores = torch.sigmoid(model(cats[va], num[va]))
    results.append(auc(scores, y[va]))
    print(f"fold {k}: train loss {loss.item():.4f}  val AUC {results[-1]:.3f}")
mean = sum(results) / len(results)
std = math.sqrt(sum((r - mean) ** 2 for r in results) / (len(results) - 1))
print(f"AUC {mean:.3f} ± {std:.3f}")
print(model.embs[0].weight.grad)
