import torch
import torch.nn as nn

torch.manual_seed(43)
x = torch.linspace(-2, 2, 9).repeat(2, 1).requires_grad_()
layers = [
    nn.Hardshrink(0.5),
    nn.Softshrink(0.5),
    nn.Softmin(dim=1),
    nn.Threshold(0.1, -1.0),
    nn.Softsign(),
    nn.Hardsigmoid(),
    nn.Hardtanh(-0.5, 1.5),
    nn.ReLU6(),
    nn.SiLU(),
    nn.Softplus(beta=2, threshold=1),
    nn.ELU(alpha=0.7),
    nn.CELU(alpha=1.3),
    nn.SELU(),
    nn.Mish(),
]
outs = {type(m).__name__: m(x) for m in layers}
softmax2d = nn.Softmax2d()(x.view(1, 2, 3, 3))
alpha = nn.AlphaDropout(0.3)
feat_alpha = nn.FeatureAlphaDropout(0.5)
d1 = alpha(x)
d2 = feat_alpha(x.view(2, 9, 1))
loss = sum(o.sum() * (i + 1) for i, o in enumerate(outs.values())) + softmax2d.pow(2).sum() + d1.sum() + d2.sum()
loss.backward()
print({k: round(v.sum().item(), 4) for k, v in outs.items()})
print(x.grad)
