import torch
import torch.nn as nn

torch.manual_seed(40)
emb_a = torch.randn(4, 5, requires_grad=True)
emb_b = torch.randn(4, 5, requires_grad=True)
emb_n = torch.randn(4, 5, requires_grad=True)
same = torch.tensor([1, -1, 1, -1])
scores = torch.randn(4, 3, requires_grad=True)
classes = torch.tensor([0, 2, 1, 2])
multi = torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
s1 = torch.randn(4, requires_grad=True)
s2 = torch.randn(4, requires_grad=True)
mu = torch.randn(4, 2, requires_grad=True)
var = torch.rand(4, 2, requires_grad=True)
counts = torch.poisson(torch.full((4, 2), 3.0))
losses = {
    "cosine_embedding": nn.CosineEmbeddingLoss(margin=0.2)(emb_a, emb_b, same),
    "margin_ranking": nn.MarginRankingLoss(margin=0.5)(s1, s2, same.float()),
    "hinge_embedding": nn.HingeEmbeddingLoss(margin=1.0)((emb_a - emb_b).norm(dim=1), same),
    "multi_margin": nn.MultiMarginLoss(p=1, margin=1.0)(scores, classes),
    "multi_margin_p2": nn.MultiMarginLoss(p=2, weight=torch.tensor([1.0, 2.0, 0.5]))(scores, classes),
    "multilabel_soft_margin": nn.MultiLabelSoftMarginLoss()(scores, multi),
    "multilabel_margin": nn.MultiLabelMarginLoss()(
        scores, torch.tensor([[0, 2, -1], [2, -1, 0], [0, 1, -1], [1, -1, 2]])
    ),
    "soft_margin": nn.SoftMarginLoss()(s1, same.float()),
    "triplet_custom_distance": nn.TripletMarginWithDistanceLoss(
        distance_function=lambda x, y: 1.0 - nn.functional.cosine_similarity(x, y), margin=0.3, swap=True
    )(emb_a, emb_b, emb_n),
    "gaussian_nll": nn.GaussianNLLLoss(full=True, eps=1e-4)(mu, torch.randn(4, 2), var),
    "poisson_nll_log": nn.PoissonNLLLoss(log_input=True)(mu, counts),
    "poisson_nll_full": nn.PoissonNLLLoss(log_input=False, full=True)(var + 0.1, counts),
}
total = sum(losses.values())
total.backward()
for name, value in losses.items():
    print(f"{name:>24}: {value.item():.5f}")
print(emb_a.grad.norm().item() > 0, var.grad)
