import torch
import torch.nn as nn

torch.manual_seed(38)
prelu = nn.PReLU(num_parameters=3, init=0.1)
rrelu = nn.RReLU(lower=0.1, upper=0.3)
x = torch.randn(4, 3, requires_grad=True)
rrelu.train()
a = rrelu(prelu(x))
rrelu.eval()
b = rrelu(prelu(x))
(a.sum() + b.sum()).backward()
print(a)
print(b)
print(prelu.weight.grad)
print(x.grad)
