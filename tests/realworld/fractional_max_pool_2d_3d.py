import torch
import torch.nn as nn

torch.manual_seed(51)
img = torch.randn(2, 3, 9, 9, requires_grad=True)
vol = torch.randn(1, 2, 7, 7, 7, requires_grad=True)
a = nn.FractionalMaxPool2d(3, output_ratio=(0.5, 0.5))(img)
b = nn.FractionalMaxPool2d((2, 3), output_size=(5, 4))(img)
c = nn.FractionalMaxPool3d(2, output_ratio=0.5)(vol)
(a.sum() + (b * b).sum() + c.pow(3).sum()).backward()
print(a.shape, b.shape, c.shape)
