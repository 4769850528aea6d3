# DeepDream-style gradient ascent on the input: random jitter with torch.roll, normalised steps through .data,
# the gradient zeroed by hand each step.
torch.manual_seed(0)
net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU())
for p in net.parameters():
    p.requires_grad_(False)
img = torch.rand(1, 3, 8, 8, requires_grad=True)
gen = torch.Generator().manual_seed(1)
for step in range(4):
    ox, oy = torch.randint(-2, 3, (2,), generator=gen).tolist()
    shifted = torch.roll(img, shifts=(ox, oy), dims=(2, 3))
    activation = net(shifted)[:, 3]
    objective = activation.pow(2).mean()
    objective.backward()
    g = img.grad
    img.data += 0.05 * g / (g.abs().mean() + 1e-8)
    img.data.clamp_(0, 1)
    img.grad.zero_()
    print(step, (ox, oy), f"{objective.item():.5f}")
print(img.grad.abs().sum(), net[0].weight.grad)
print(img[0, 0, :2])
