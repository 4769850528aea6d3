torch.manual_seed(52)
a = torch.randn(4, 3, requires_grad=True)
b = torch.randn(4, 3, requires_grad=True)
target = torch.tensor([0, 2, 1, 2])
weights = torch.tensor([1.0, 2.0, 0.5])
losses = {
    "nll": F.nll_loss(F.log_softmax(a, 1), target, weight=weights, ignore_index=1),
    "kl": F.kl_div(F.log_softmax(a, 1), F.log_softmax(b, 1), reduction="batchmean", log_target=True),
    "huber": F.huber_loss(a, b, delta=0.5),
    "triplet": F.triplet_margin_loss(a, b, a.flip(0), margin=1.0),
    "cos_emb": F.cosine_embedding_loss(a, b, torch.tensor([1.0, -1.0, 1.0, -1.0])),
    "margin_rank": F.margin_ranking_loss(a[:, 0], b[:, 0], torch.tensor([1.0, -1.0, 1.0, 1.0])),
    "poisson": F.poisson_nll_loss(a, b.abs(), log_input=True),
    "gauss": F.gaussian_nll_loss(a, b, torch.ones(4, 3) * 0.5),
    "mlsm": F.multilabel_soft_margin_loss(a, (b > 0).float()),
    "hinge": F.multi_margin_loss(a, target),
    "bce_w": F.binary_cross_entropy_with_logits(a, torch.sigmoid(b), pos_weight=torch.tensor([1.0, 2.0, 3.0])),
    "soft_ce": F.cross_entropy(a, F.softmax(b, 1)),
}
total = sum(losses.values())
total.backward()
print({k: round(v.item(), 4) for k, v in losses.items()})
print(a.grad)
print(b.grad)
