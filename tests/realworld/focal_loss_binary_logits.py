import torch
import torch.nn as nn
import torch.nn.functional as F


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="mean"):
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "mean":
        loss = loss.mean()
    elif reduction == "sum":
        loss = loss.sum()
    return loss


torch.manual_seed(0)
head = nn.Linear(4, 3)
opt = torch.optim.SGD(head.parameters(), lr=0.5)
features = torch.randn(8, 4)
labels = (torch.rand(8, 3) > 0.7).float()
for step in range(3):
    opt.zero_grad()
    logits = head(features)
    loss = sigmoid_focal_loss(logits, labels)
    loss.backward()
    opt.step()
    print(f"step {step}: focal={loss.item():.6f}")
per_elem = sigmoid_focal_loss(logits.detach(), labels, reduction="none")
print(per_elem.shape, per_elem.max().item() > 0)
