# Recursing over children by hand: re-initialising Linear layers and counting parameters per depth
import torch
import torch.nn as nn

torch.manual_seed(25)
net = nn.Sequential(
    nn.Linear(3, 4),
    nn.Sequential(nn.ReLU(), nn.Linear(4, 4), nn.Sequential(nn.Tanh(), nn.Linear(4, 2))),
)


def walk(module, depth=0, counts=None):
    counts = {} if counts is None else counts
    for child in module.children():
        if isinstance(child, nn.Linear):
            nn.init.xavier_uniform_(child.weight, gain=0.5)
            nn.init.constant_(child.bias, 0.01 * (depth + 1))
            counts[depth] = counts.get(depth, 0) + sum(p.numel() for p in child.parameters())
        walk(child, depth + 1, counts)
    return counts


print(walk(net))
x = torch.randn(2, 3)
out = net(x)
out.square().mean().backward()
last = net[1][2][1]
print(last.bias, last.weight.grad)
