import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(52)
scores = torch.randn(4, 5, requires_grad=True)
labels = torch.tensor([[0, 3, -1, 2, 2], [4, -1, 0, 0, 0], [1, 2, 3, 4, 0], [2, 2, -1, 1, 1]])
single = torch.randn(5, requires_grad=True)
mean_loss = nn.MultiLabelMarginLoss()(scores, labels)
sum_loss = F.multilabel_margin_loss(scores * 2, labels, reduction="sum")
per_sample = F.multilabel_margin_loss(scores.tanh(), labels, reduction="none")
one = F.multilabel_margin_loss(single, torch.tensor([3, 0, -1, 1, 1]))
(mean_loss + sum_loss + (per_sample * torch.arange(1.0, 5.0)).sum() + one).backward()
print(mean_loss.item(), sum_loss.item(), per_sample, one.item())
print(scores.grad, single.grad)
