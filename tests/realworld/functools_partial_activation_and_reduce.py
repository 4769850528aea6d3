# functools.partial for an activation and functools.reduce to chain layers
import functools

import torch
import torch.nn.functional as F

torch.manual_seed(8)
act = functools.partial(F.leaky_relu, negative_slope=0.1)
weights = [torch.randn(3, 3, requires_grad=True) for _ in range(3)]
x = torch.randn(2, 3)
out = functools.reduce(lambda h, W: act(h @ W), weights, x)
total = out.pow(2).sum()
total.backward()
print(out)
print([w.grad.abs().sum().round(decimals=3) for w in weights])
