import torch


def chamfer(a, b):
    d = torch.cdist(a, b)
    return d.min(dim=1).values.pow(2).mean() + d.min(dim=0).values.pow(2).mean()


torch.manual_seed(1)
theta = torch.linspace(0, 2 * torch.pi, 12)
circle = torch.stack([theta.cos(), theta.sin()], dim=1)
points = (torch.randn(10, 2) * 0.3).requires_grad_()
opt = torch.optim.Adam([points], lr=0.1)
for step in range(5):
    loss = chamfer(points, circle)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
print(points.grad)
