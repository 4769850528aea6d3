# Image retrieval head: weight-standardised conv, GeM pooling with a learnable exponent p, L2-normalised descriptors
import torch
import torch.nn as nn
import torch.nn.functional as F


class WSConv2d(nn.Conv2d):
    def forward(self, x):
        w = self.weight
        mean = w.mean(dim=(1, 2, 3), keepdim=True)
        std = w.std(dim=(1, 2, 3), keepdim=True) + 1e-5
        return F.conv2d(x, (w - mean) / std, self.bias, self.stride, self.padding)


class GeM(nn.Module):
    def __init__(self, p=3.0, eps=1e-6):
        super().__init__()
        self.p = nn.Parameter(torch.ones(1) * p)
        self.eps = eps

    def forward(self, x):
        return F.avg_pool2d(x.clamp(min=self.eps).pow(self.p), (x.size(-2), x.size(-1))).pow(1.0 / self.p)


torch.manual_seed(43)
conv = WSConv2d(3, 4, 3, padding=1)
gem = GeM()
imgs = torch.rand(3, 3, 6, 6)
desc = F.normalize(gem(F.relu(conv(imgs))).flatten(1), dim=1)
sim = desc @ desc.T
loss = (sim - torch.eye(3)).pow(2).sum()
loss.backward()
print(sim)
print(gem.p.grad, conv.weight.grad.sum())
