import functools
import math
import operator

import torch

a = torch.tensor([1.5, -2.0, 3.0], requires_grad=True)
b = torch.tensor([0.5, 4.0, -1.0], requires_grad=True)
s1 = torch.Tensor.add(a, b)
s2 = torch.Tensor.__mul__(a, 2)
s3 = getattr(torch, "relu")(b)
s4 = operator.mul(a, b)
s5 = functools.reduce(torch.add, [a, b, a])
s6 = list(map(torch.sigmoid, [a, b]))
s7 = sum([a, b], torch.zeros(3))
s8 = abs(b) + 2 ** a + (-a) ** 2
q, r = divmod(b.detach(), 2)
rows = [x * i for i, x in enumerate(a)]
table = dict(zip(["x", "y", "z"], b))
biggest = max(a[0], a[2])
ordered = sorted(b, key=lambda t: t.item())
total = (s1.sum() + s2.sum() + s3.sum() + s4.sum() + s5.sum() + s6[0].sum() + s6[1].sum() + s7.sum() + s8.sum()
         + sum(rows) + table["y"] + biggest + ordered[0])
total.backward()
print(q, r, float(total), int(b[1]), round(a[0].item(), 2), math.isclose(float(s1[0]), 2.0))
print(table["z"], ordered)
print(a.grad, b.grad)
