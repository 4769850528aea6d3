# PixelCNN masked convolution: the mask is applied with self.weight.data *= self.mask at every forward
import torch
import torch.nn as nn


class MaskedConv2d(nn.Conv2d):
    def __init__(self, mask_type, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_buffer("mask", self.weight.data.clone())
        _, _, kH, kW = self.weight.size()
        self.mask.fill_(1)
        self.mask[:, :, kH // 2, kW // 2 + (mask_type == "B"):] = 0
        self.mask[:, :, kH // 2 + 1:] = 0

    def forward(self, x):
        self.weight.data *= self.mask
        return super().forward(x)


torch.manual_seed(36)
net = nn.Sequential(MaskedConv2d("A", 1, 4, 3, padding=1), nn.ReLU(), MaskedConv2d("B", 4, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 2, 1))
opt = torch.optim.Adam(net.parameters(), lr=0.01)
img = (torch.rand(2, 1, 5, 5) > 0.5).float()
for step in range(2):
    logits = net(img)
    loss = nn.functional.cross_entropy(logits, img.squeeze(1).long())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
print(net[0].mask[0, 0])
print(net[0].weight[0, 0], net[2].weight.grad[0, 0])
