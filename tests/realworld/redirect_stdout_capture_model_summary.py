# Capturing what print() writes with contextlib.redirect_stdout, then printing part of it
import contextlib
import io

import torch
import torch.nn as nn

torch.manual_seed(4)
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    print(model)
    x = torch.randn(4, 2, requires_grad=True)
    y = model(x).sum()
    print("y =", y)
y.backward()
text = buf.getvalue()
print(len(text.splitlines()), "lines captured")
print(text.splitlines()[-1])
print(x.grad)
