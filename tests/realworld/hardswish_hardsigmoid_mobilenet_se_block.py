torch.manual_seed(0)


class SqueezeExcite(nn.Module):
    def __init__(self, ch, reduction=4):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(ch, ch // reduction, 1)
        self.fc2 = nn.Conv2d(ch // reduction, ch, 1)
        self.gate = nn.Hardsigmoid()

    def forward(self, x):
        s = self.gate(self.fc2(F.relu(self.fc1(self.pool(x)))))
        return x * s


class InvertedResidual(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.expand = nn.Conv2d(ch, ch * 2, 1, bias=False)
        self.dw = nn.Conv2d(ch * 2, ch * 2, 3, padding=1, groups=ch * 2, bias=False)
        self.bn = nn.BatchNorm2d(ch * 2)
        self.se = SqueezeExcite(ch * 2)
        self.project = nn.Conv2d(ch * 2, ch, 1, bias=False)
        self.act = nn.Hardswish()

    def forward(self, x):
        h = self.act(self.expand(x))
        h = self.act(self.bn(self.dw(h)))
        return x + self.project(self.se(h))


block = InvertedResidual(4)
x = torch.randn(2, 4, 5, 5, requires_grad=True)
out = block(x)
loss = out.pow(2).mean() + F.hardtanh(out, -0.5, 0.5).sum() * 0.01
loss.backward()
print(out.shape, round(loss.item(), 5))
print(block.se.fc2.bias.grad)
print(x.grad[0, 0, 0])
