import torch
import torch.nn.functional as F


def supcon_loss(features, labels, temperature=0.1):
    features = F.normalize(features, dim=1)
    n = features.shape[0]
    sim = features @ features.T / temperature
    logits_max, _ = sim.max(dim=1, keepdim=True)
    logits = sim - logits_max.detach()
    self_mask = torch.eye(n, dtype=torch.bool)
    pos_mask = (labels[:, None] == labels[None, :]) & ~self_mask
    exp_logits = torch.exp(logits).masked_fill(self_mask, 0)
    log_prob = logits - torch.log(exp_logits.sum(1, keepdim=True))
    mean_log_prob_pos = (log_prob * pos_mask).sum(1) / pos_mask.sum(1).clamp(min=1)
    return -mean_log_prob_pos.mean()


torch.manual_seed(8)
proj = torch.nn.Linear(5, 3)
x = torch.randn(6, 5)
labels = torch.tensor([0, 1, 0, 2, 1, 2])
loss = supcon_loss(proj(x), labels)
loss.backward()
print(round(loss.item(), 4))
print(proj.weight.grad)
