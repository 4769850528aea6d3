import torch
import torch.nn as nn


def unitwise_norm(x):
    if x.ndim <= 1:
        return x.norm(p=2)
    return x.norm(p=2, dim=tuple(range(1, x.ndim)), keepdim=True)


@torch.no_grad()
def adaptive_clip_grad(parameters, clip_factor=0.01, eps=1e-3):
    for p in parameters:
        if p.grad is None:
            continue
        p_data, g_data = p.detach(), p.grad.detach()
        max_norm = unitwise_norm(p_data).clamp_(min=eps).mul_(clip_factor)
        grad_norm = unitwise_norm(g_data)
        clipped_grad = g_data * (max_norm / grad_norm.clamp(min=1e-6))
        new_grads = torch.where(grad_norm < max_norm, g_data, clipped_grad)
        p.grad.detach().copy_(new_grads)


torch.manual_seed(3)
net = nn.Sequential(nn.Conv2d(2, 3, 3), nn.ReLU(), nn.Flatten(), nn.Linear(12, 2))
x = torch.randn(2, 2, 4, 4)
loss = net(x).pow(2).sum() * 10
loss.backward()
before = [p.grad.clone() for p in net.parameters()]
adaptive_clip_grad(net.parameters(), clip_factor=0.05)
after = [p.grad for p in net.parameters()]
print([round((b - a).abs().max().item(), 5) for b, a in zip(before, after)])
print(net[3].bias.grad)
