import torch
import torch.nn as nn


class CosineClassifier(nn.Module):
    def __init__(self, d, n):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n, d))

    def forward(self, x):
        w = self.weight
        w_norm = w.norm(dim=1, keepdim=True)
        logits = x @ w.t()
        w_norm.clamp_(min=1e-6)
        return logits / w_norm.t()


torch.manual_seed(19)
clf = CosineClassifier(4, 3)
feats = torch.randn(2, 4)
logits = clf(feats)
print(logits.shape)
loss = nn.functional.cross_entropy(logits, torch.tensor([0, 2]))
loss.backward()
print(clf.weight.grad)
