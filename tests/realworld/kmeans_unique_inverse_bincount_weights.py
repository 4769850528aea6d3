# k-means with cdist/argmin/scatter_add, then class-balanced weights from bincount for a classifier
torch.manual_seed(6)
pts = torch.cat([torch.randn(10, 2) + 3, torch.randn(6, 2) - 3, torch.randn(4, 2) * 0.5])
k = 3
centers = pts[torch.randperm(len(pts))[:k]].clone()
for it in range(10):
    assign = torch.cdist(pts, centers).argmin(dim=1)
    sums = torch.zeros(k, 2).scatter_add_(0, assign.unsqueeze(1).expand(-1, 2), pts)
    counts = torch.bincount(assign, minlength=k).clamp(min=1).unsqueeze(1)
    new_centers = sums / counts
    shift = (new_centers - centers).norm()
    centers = new_centers
    if shift < 1e-6:
        print(f"converged after {it + 1} iterations")
        break
labels, inverse, counts = torch.unique(assign, return_inverse=True, return_counts=True)
weights = counts.sum() / (len(counts) * counts.float())
print(labels, counts, weights)
clf = nn.Linear(2, k)
logits = clf(pts)
loss = F.cross_entropy(logits, inverse, weight=weights)
loss.backward()
print(f"weighted CE {loss.item():.4f}")
print(clf.weight.grad)
