# Center loss (Wen et al.): class centres updated by hand with index_add_ under no_grad, next to softmax training
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(45)
feat_net = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 2))
classifier = nn.Linear(2, 3)
centers = torch.zeros(3, 2)
opt = torch.optim.SGD(list(feat_net.parameters()) + list(classifier.parameters()), lr=0.1)
x = torch.randn(9, 4)
y = torch.tensor([0, 1, 2] * 3)
alpha, lam = 0.5, 0.1
for step in range(3):
    feats = feat_net(x)
    ce = F.cross_entropy(classifier(feats), y)
    closs = 0.5 * (feats - centers[y]).pow(2).sum(1).mean()
    loss = ce + lam * closs
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        diff = centers[y] - feats
        counts = torch.bincount(y, minlength=3).float().unsqueeze(1)
        delta = torch.zeros_like(centers).index_add_(0, y, diff) / (1 + counts)
        centers -= alpha * delta
    print(step, round(ce.item(), 4), round(closs.item(), 4))
print(centers)
