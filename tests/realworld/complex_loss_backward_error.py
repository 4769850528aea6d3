import torch

torch.manual_seed(9)
z = torch.randn(3, dtype=torch.cfloat, requires_grad=True)
phase = torch.exp(1j * torch.linspace(0, 1, 3))
out = (z * phase).sum()
print(out.dtype, out.shape)
real_loss = out.abs()
real_loss.backward(retain_graph=True)
print(z.grad)
out.backward()  # complex scalar: no implicit gradient
