import contextlib
import io
import warnings

import torch

torch.manual_seed(6)
w = torch.randn(3, requires_grad=True)
h = w * 2
buf = io.StringIO()
with contextlib.redirect_stderr(buf):
    warnings.simplefilter("always")
    print(h.grad)  # a non-leaf's .grad: torch warns
    warnings.warn("learning rate looks large", RuntimeWarning)
text = buf.getvalue().replace(__file__, "FILE")
for line in text.splitlines():
    if line.startswith("FILE:"):
        where, kind = line.split(":")[1:3]
        print(where, kind.strip())
h.sum().backward()
print(w.grad)
