torch.manual_seed(0)
x = torch.randn(2, 4, 6, requires_grad=True)
prelu = nn.PReLU(4)
results = {
    "silu": F.silu(x), "mish": F.mish(x), "elu": F.elu(x, alpha=0.7), "selu": F.selu(x), "celu": F.celu(x, 1.3),
    "hardswish": F.hardswish(x), "hardsigmoid": F.hardsigmoid(x), "hardtanh": F.hardtanh(x, -0.5, 0.5),
    "softsign": F.softsign(x), "tanhshrink": F.tanhshrink(x), "threshold": F.threshold(x, 0.1, -1.0),
    "softshrink": F.softshrink(x, 0.3), "hardshrink": F.hardshrink(x, 0.3), "glu": F.glu(x, dim=-1),
    "prelu": prelu(x), "relu6": F.relu6(x * 4), "leaky": F.leaky_relu(x, 0.2), "gelu_tanh": F.gelu(x, approximate="tanh"),
    "reflect": F.pad(x, (2, 1), mode="reflect"), "replicate": F.pad(x, (1, 2), mode="replicate"),
    "circular": F.pad(x, (1, 1), mode="circular"), "const": F.pad(x, (1, 0, 0, 1), value=0.5),
    "group_norm": F.group_norm(x, 2), "instance_norm": F.instance_norm(x), "lrn": F.local_response_norm(x, 2),
    "normalize": F.normalize(x, p=2, dim=1), "cos": F.cosine_similarity(x[0], x[1], dim=0),
    "pdist": F.pairwise_distance(x[0], x[1]), "lp_pool": F.lp_pool1d(x.abs() + 0.1, 2, 2),
    "adaptive_max": F.adaptive_max_pool1d(x, 3), "avg_pool_pad": F.avg_pool1d(x, 3, 2, padding=1, count_include_pad=False),
    "bicubic": F.interpolate(x.unsqueeze(1), scale_factor=(1, 1.5), mode="bicubic", align_corners=False),
}
objective = sum(r.pow(2).mean() for r in results.values())
objective.backward()
for k, r in results.items():
    print(f"{k:>14} {tuple(r.shape)} {r.detach().abs().sum().item():.4f}")
print(x.grad.abs().sum(), prelu.weight.grad)
