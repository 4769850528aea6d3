def dice_loss(logits, target, eps=1.0):
    probs = torch.sigmoid(logits)
    dims = (1, 2, 3)
    inter = (probs * target).sum(dims)
    union = probs.sum(dims) + target.sum(dims)
    dice = (2 * inter + eps) / (union + eps)
    return 1 - dice.mean()


torch.manual_seed(50)
net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 1, 1))
img = torch.randn(2, 1, 5, 5)
mask = (torch.rand(2, 1, 5, 5) > 0.6).float()
logits = net(img)
bce = F.binary_cross_entropy_with_logits(logits, mask, pos_weight=torch.tensor([2.0]))
dl = dice_loss(logits, mask)
loss = bce + dl
loss.backward()
print(f"bce {bce.item():.4f}  dice {dl.item():.4f}")
print(net[2].weight.grad.flatten())
print(net[0].bias.grad)
