# Batch-hard triplet mining (Hermans et al.) + OHEM cross-entropy with topk
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(15)


def _pairwise_distances(embeddings, squared=False):
    dot_product = torch.matmul(embeddings, embeddings.t())
    square_norm = torch.diag(dot_product)
    distances = square_norm.unsqueeze(0) - 2.0 * dot_product + square_norm.unsqueeze(1)
    distances[distances < 0] = 0
    if not squared:
        mask = distances.eq(0).float()
        distances = distances + mask * 1e-16
        distances = (1.0 - mask) * torch.sqrt(distances)
    return distances


def _get_anchor_positive_triplet_mask(labels):
    indices_equal = torch.eye(labels.size(0), dtype=torch.bool)
    indices_not_equal = ~indices_equal
    labels_equal = labels.unsqueeze(0) == labels.unsqueeze(1)
    return labels_equal & indices_not_equal


def _get_anchor_negative_triplet_mask(labels):
    return ~(labels.unsqueeze(0) == labels.unsqueeze(1))


def batch_hard_triplet_loss(labels, embeddings, margin, squared=False):
    pairwise_dist = _pairwise_distances(embeddings, squared=squared)
    mask_anchor_positive = _get_anchor_positive_triplet_mask(labels).float()
    anchor_positive_dist = mask_anchor_positive * pairwise_dist
    hardest_positive_dist, _ = anchor_positive_dist.max(1, keepdim=True)
    mask_anchor_negative = _get_anchor_negative_triplet_mask(labels).float()
    max_anchor_negative_dist, _ = pairwise_dist.max(1, keepdim=True)
    anchor_negative_dist = pairwise_dist + max_anchor_negative_dist * (1.0 - mask_anchor_negative)
    hardest_negative_dist, _ = anchor_negative_dist.min(1, keepdim=True)
    tl = hardest_positive_dist - hardest_negative_dist + margin
    tl = F.relu(tl)
    return tl.mean()


def ohem_cross_entropy(logits, target, keep_ratio=0.5):
    per_sample = F.cross_entropy(logits, target, reduction="none")
    k = max(1, int(keep_ratio * per_sample.numel()))
    hard, idx = per_sample.topk(k)
    return hard.mean(), idx


embedder = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3))
classifier = nn.Linear(3, 3)
x = torch.randn(8, 4)
labels = torch.tensor([0, 0, 1, 1, 2, 2, 0, 1])
opt = torch.optim.SGD(list(embedder.parameters()) + list(classifier.parameters()), lr=0.1)
for step in range(2):
    opt.zero_grad()
    emb = F.normalize(embedder(x), dim=1)
    trip = batch_hard_triplet_loss(labels, emb, margin=0.3)
    ce, hard_idx = ohem_cross_entropy(classifier(emb), labels)
    total = trip + ce
    total.backward()
    opt.step()
    print(f"step {step}: triplet={trip.item():.4f} ohem={ce.item():.4f} hard={hard_idx.tolist()}")
print(classifier.weight.grad)
