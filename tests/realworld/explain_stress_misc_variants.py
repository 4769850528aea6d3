torch.manual_seed(98)
x = torch.randn(1, 2, 5, 4, requires_grad=True)
v = torch.tensor(0.75, requires_grad=True)
mask = torch.rand(1, 2, 5, 4) > 0.6
parts = [
    F.interpolate(x, scale_factor=1.7, mode="bilinear", recompute_scale_factor=False),
    F.interpolate(x, scale_factor=(0.6, 1.3), mode="nearest"),
    F.interpolate(x, scale_factor=2.5, mode="nearest-exact"),
    F.interpolate(x, scale_factor=1.5, mode="bicubic", align_corners=False),
    F.interpolate(x, scale_factor=0.7, mode="bilinear", antialias=True),
    F.interpolate(x[:, :, 0], scale_factor=1.4, mode="linear"),
    F.interpolate(x.unsqueeze(2), scale_factor=(1.0, 1.5, 0.8), mode="trilinear"),
    F.interpolate(x.unsqueeze(2), scale_factor=1.5, mode="nearest"),
    F.upsample(x, size=(7, 3), mode="bilinear", align_corners=True) if hasattr(F, "upsample") else x,
    x.masked_fill(mask, v),
    torch.where(mask, v, x),
    torch.where(mask, x, 2.0),
    x.cumsum(2, dtype=torch.float64),
    x.cumprod(3, dtype=torch.float64),
    x.softmax(1, dtype=torch.float64),
    x.log_softmax(-1, dtype=torch.float64),
    x.sum(dim=(2, 3), dtype=torch.float64),
    x.mean(dtype=torch.float64).reshape(1),
    x.clone().masked_scatter_(mask, torch.arange(40.0).view(1, 2, 5, 4)),
]
loss = sum((p.float().cos() * (i + 1)).mean() for i, p in enumerate(parts))
loss.backward()
print(x.grad.sum(), v.grad)
