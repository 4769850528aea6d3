torch.manual_seed(44)
logits = torch.randn(4, 5, requires_grad=True)
target = torch.tensor([1, 0, 4, 2])
soft = torch.softmax(torch.randn(4, 5), 1)
pred = torch.randn(4, 3, requires_grad=True)
y = torch.randn(4, 3)
prob = torch.rand(4, 3, requires_grad=True)
bin_t = (torch.rand(4, 3) > 0.5).float()
losses = {
    "ce_w": F.cross_entropy(logits, target, weight=torch.tensor([1.0, 2.0, 0.5, 1.0, 3.0])),
    "ce_soft": F.cross_entropy(logits, soft, label_smoothing=0.2),
    "ce_ignore": F.cross_entropy(logits, torch.tensor([1, -100, 4, -100]), reduction="sum"),
    "nll_none": F.nll_loss(F.log_softmax(logits, 1), target, reduction="none").sum(),
    "kl": F.kl_div(F.log_softmax(logits, 1), soft, reduction="batchmean"),
    "kl_log": F.kl_div(F.log_softmax(logits, 1), soft.log(), reduction="sum", log_target=True),
    "mse": F.mse_loss(pred, y, reduction="sum"),
    "l1": F.l1_loss(pred, y),
    "huber": F.huber_loss(pred, y, delta=0.3),
    "sl1": F.smooth_l1_loss(pred, y, beta=2.0, reduction="sum"),
    "bce": F.binary_cross_entropy(prob.clamp(1e-3, 1 - 1e-3), bin_t, weight=torch.tensor([1.0, 0.5, 2.0])),
    "bcel": F.binary_cross_entropy_with_logits(pred, bin_t, pos_weight=torch.tensor([2.0, 1.0, 0.5])),
    "poisson": F.poisson_nll_loss(pred, y.abs(), log_input=True),
    "poisson_full": F.poisson_nll_loss(prob + 0.1, y.abs() + 1, log_input=False, full=True),
    "gauss": F.gaussian_nll_loss(pred, y, prob + 0.1),
    "margin": F.margin_ranking_loss(pred[:, 0], pred[:, 1], torch.tensor([1.0, -1.0, 1.0, -1.0]), margin=0.5),
    "hinge": F.hinge_embedding_loss(pred, torch.sign(y), margin=0.8),
    "multimargin": F.multi_margin_loss(logits, target, p=2, margin=0.7),
    "multilabel": F.multilabel_margin_loss(logits, torch.tensor([[1, 3, -1, 0, 0]] * 4)),
    "mlsm": F.multilabel_soft_margin_loss(logits, (soft > 0.2).float()),
    "softmargin": F.soft_margin_loss(pred, torch.sign(y)),
    "cosemb": F.cosine_embedding_loss(pred, y, torch.tensor([1, -1, 1, -1]), margin=0.1),
    "triplet": F.triplet_margin_loss(pred, y, y.flip(0), margin=0.5, p=1, swap=True),
    "tripdist": F.triplet_margin_with_distance_loss(pred, y, y.roll(1, 0), distance_function=F.pairwise_distance),
}
total = sum(losses.values())
total.backward()
for k, v in losses.items():
    print(f"{k:12s} {v.item():.4f}")
print(logits.grad.sum(), pred.grad.sum(), prob.grad.sum())
