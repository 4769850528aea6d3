import warnings
import torch

x = torch.ones(3, requires_grad=True)
h = x * 2
h.sum().backward()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    g = h.grad
    v = torch.tensor(x)
for w in caught:
    print(w.category.__name__, w.filename == __file__, w.lineno)
print(g, v.requires_grad)
