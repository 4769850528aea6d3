import sys

import torch

torch.manual_seed(65)
x = torch.randn(4, requires_grad=True)
loss = x.pow(2).sum()
loss.backward()
print("grad", x.grad)
if x.grad.abs().max() > 0.1:
    sys.exit(f"gradient too large: {x.grad.abs().max().item():.3f}")
print("unreachable")
