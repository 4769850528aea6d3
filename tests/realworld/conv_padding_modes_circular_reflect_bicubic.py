torch.manual_seed(0)
x = torch.randn(1, 2, 5, 5, requires_grad=True)
convs = nn.ModuleDict(
    {
        mode: nn.Conv2d(2, 1, 3, padding=1, padding_mode=mode, bias=False)
        for mode in ("zeros", "reflect", "replicate", "circular")
    }
)
pad = nn.ReflectionPad1d((2, 1))
outs = {mode: conv(x) for mode, conv in convs.items()}
up = F.interpolate(outs["circular"], scale_factor=2, mode="bicubic", align_corners=True)
row = pad(x[:, :, 0])
loss = sum(o.pow(2).mean() for o in outs.values()) + up.mean() + row.sum()
loss.backward()
print({m: tuple(o.shape) for m, o in outs.items()}, up.shape, row.shape)
print(x.grad[0, 0])
print(convs["circular"].weight.grad.flatten())
