import torch
import torch.nn as nn
import torch.nn.functional as F


class DoubleConv(nn.Module):
    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(in_ch, out_ch, 3, padding=1, bias=False),
            nn.BatchNorm2d(out_ch),
            nn.ReLU(inplace=True),
            nn.Conv2d(out_ch, out_ch, 3, padding=1, bias=False),
            nn.BatchNorm2d(out_ch),
            nn.ReLU(inplace=True),
        )

    def forward(self, x):
        return self.net(x)


class TinyUNet(nn.Module):
    def __init__(self, in_ch=1, n_classes=1, base=4):
        super().__init__()
        self.inc = DoubleConv(in_ch, base)
        self.down = nn.Sequential(nn.MaxPool2d(2), DoubleConv(base, base * 2))
        self.up = nn.ConvTranspose2d(base * 2, base, kernel_size=2, stride=2)
        self.conv = DoubleConv(base * 2, base)
        self.outc = nn.Conv2d(base, n_classes, kernel_size=1)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down(x1)
        x = self.up(x2)
        diffY = x1.size()[2] - x.size()[2]
        diffX = x1.size()[3] - x.size()[3]
        x = F.pad(x, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
        x = torch.cat([x1, x], dim=1)
        return self.outc(self.conv(x))


def dice_loss(pred, target, smooth=1.0):
    pred = pred.sigmoid().flatten(1)
    target = target.flatten(1)
    inter = (pred * target).sum(1)
    return 1 - ((2.0 * inter + smooth) / (pred.sum(1) + target.sum(1) + smooth)).mean()


torch.manual_seed(3)
model = TinyUNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
images = torch.randn(2, 1, 8, 8)
masks = (images > 0.5).float()
for epoch in range(2):
    optimizer.zero_grad()
    logits = model(images)
    loss = dice_loss(logits, masks) + F.binary_cross_entropy_with_logits(logits, masks)
    loss.backward()
    optimizer.step()
    print("epoch", epoch, "loss", round(loss.item(), 5))
print(logits.shape)
