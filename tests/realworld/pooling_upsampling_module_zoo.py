import torch
import torch.nn as nn

torch.manual_seed(41)
img = torch.randn(1, 4, 6, 6, requires_grad=True)
pool = nn.MaxPool2d(2, return_indices=True)
unpool = nn.MaxUnpool2d(2)
pooled, indices = pool(img)
restored = unpool(pooled, indices, output_size=img.size())
lp = nn.LPPool2d(norm_type=2, kernel_size=2)(img.abs() + 0.1)
amax = nn.AdaptiveMaxPool2d((2, 3))(img)
up_near = nn.Upsample(scale_factor=2, mode="nearest")(pooled)
up_bil = nn.Upsample(size=(5, 5), mode="bilinear", align_corners=True)(pooled)
up_bic = nn.UpsamplingBilinear2d(scale_factor=1.5)(pooled)
unshuf = nn.PixelUnshuffle(2)(img)
shuf = nn.ChannelShuffle(2)(img)
lrn = nn.LocalResponseNorm(size=3)(img)
frac = nn.FractionalMaxPool2d(2, output_ratio=(0.5, 0.5))(img)
parts = [restored, lp, amax, up_near, up_bil, up_bic, unshuf, shuf, lrn, frac]
loss = sum((p * torch.linspace(-1, 1, p.numel()).view_as(p)).sum() for p in parts)
loss.backward()
print([tuple(p.shape) for p in parts])
print(img.grad[0, 0])
