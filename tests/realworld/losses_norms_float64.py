torch.manual_seed(311)
d = torch.float64
logits = torch.randn(2, 3, 2, 2, dtype=d, requires_grad=True)
seg = torch.tensor([[[0, 1], [2, 1]], [[1, 1], [0, 2]]])
feats = torch.randn(4, 5, dtype=d, requires_grad=True)
target = torch.randn(4, 5, dtype=d)
bn = nn.BatchNorm1d(5).double()
ln = nn.LayerNorm(5, elementwise_affine=False).double()
bn(feats.detach())
bn.eval()
probs = torch.sigmoid(feats)
terms = [
    F.cross_entropy(logits, seg, ignore_index=2),
    F.nll_loss(F.log_softmax(logits, 1), seg, reduction="sum"),
    F.mse_loss(feats, target, reduction="sum"),
    F.huber_loss(feats, target, delta=1.0),
    F.smooth_l1_loss(feats, target, beta=0.5),
    F.binary_cross_entropy(probs, (target > 0).double(), weight=torch.rand(5, dtype=d)),
    bn(feats).pow(2).mean(),
    ln(feats).pow(3).mean(),
    torch.linalg.vector_norm(feats, ord=1) + torch.linalg.vector_norm(feats, ord=float("inf")),
    torch.linalg.vector_norm(feats[:, :2] - feats[:, :2], dim=1).sum(),
    F.softplus(feats, beta=2.0, threshold=0.5).sum(),
    F.elu(feats, alpha=0.7).sum() + F.gelu(feats, approximate="tanh").sum() + F.silu(feats).sum(),
    F.logsigmoid(feats).sum() + (feats.abs() + 0.5).rsqrt().sum(),
    (feats.abs() + 1).log2().sum() + (feats.abs() + 1).log10().sum() + feats.abs().log1p().sum(),
    feats.reciprocal().sum() * 0.01,
]
total = torch.stack(terms).sum()
total.backward()
print(round(total.item(), 6))
print(logits.grad[0, :, 0, 0])
print(feats.grad)
