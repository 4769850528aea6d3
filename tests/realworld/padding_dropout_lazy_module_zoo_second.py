import torch
import torch.nn as nn

torch.manual_seed(1)
net = nn.Sequential(
    nn.ZeroPad2d((1, 0, 1, 0)),
    nn.ConstantPad2d(1, 0.5),
    nn.CircularPad2d(1),
    nn.LazyConv2d(3, 3),
    nn.LazyBatchNorm2d(),
    nn.Dropout2d(0.0),
    nn.Flatten(2),
    nn.AdaptiveMaxPool1d(4),
    nn.Dropout1d(0.0),
)
x = torch.randn(2, 2, 4, 4)
out = net(x)
print(net)
print(out.shape, net[3].weight.shape)
loss = out.pow(2).mean()
loss.backward()
print(net[4].weight.grad, net[4].running_var)
