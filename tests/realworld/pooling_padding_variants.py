torch.manual_seed(182)
img = torch.randn(1, 2, 5, 6, requires_grad=True)
seq = torch.randn(2, 3, 7, requires_grad=True)
pooled, idx = F.max_pool2d(img, 2, stride=2, ceil_mode=True, return_indices=True)
unpooled = F.max_unpool2d(pooled, idx, 2, stride=2, output_size=img.shape[-2:])
outs = [
    unpooled.sum(),
    F.avg_pool1d(seq, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False).sum(),
    F.lp_pool2d(img.abs() + 0.1, 2, kernel_size=2).sum(),
    F.adaptive_max_pool1d(seq, 4).sum(),
    F.adaptive_avg_pool2d(img, (3, 2)).pow(2).sum(),
    F.pad(seq, (2, 1), mode="reflect").pow(2).mean(),
    F.pad(img, (1, 1, 2, 0), mode="replicate").sum(),
    F.pad(seq, (3, 3), mode="circular")[..., :4].sum(),
    F.pad(img, (1, 2), value=0.5).mean(),
    F.avg_pool2d(img, 3, stride=1, padding=1, divisor_override=4).sum(),
    F.max_pool1d(seq, 2, dilation=2).sum(),
]
loss = sum(outs)
loss.backward()
print([round(o.item(), 4) for o in outs])
print(img.grad[0, 0])
print(seq.grad[1])
