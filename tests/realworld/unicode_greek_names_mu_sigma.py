# Reparameterisation written with Greek letters, as in the paper's equations (µ typed with the micro sign key)
import torch

torch.manual_seed(0)
µ = torch.zeros(3, requires_grad=True)
σ = torch.ones(3, requires_grad=True)
ε = torch.randn(3)
z = µ + σ * ε
ℓ = (z ** 2).sum()
ℓ.backward()
print(µ.grad, σ.grad)
print(sorted(k for k in dir() if not k.isascii()), "l" in dir())
