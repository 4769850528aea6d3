torch.manual_seed(0)
img = torch.randn(1, 1, 4, 4, requires_grad=True)
theta = torch.tensor([[[0.9, 0.1, 0.05], [-0.1, 1.1, 0.0]]], requires_grad=True)
grid = F.affine_grid(theta, (1, 1, 5, 5), align_corners=False)
outs = []
for mode in ["bilinear", "nearest", "bicubic"]:
    for pad in ["zeros", "border", "reflection"]:
        outs.append(F.grid_sample(img, grid, mode=mode, padding_mode=pad, align_corners=False))
loss = sum((o * torch.arange(25.).view(1, 1, 5, 5)).sum() for o in outs)
loss.backward()
print(img.grad)
print(theta.grad)
