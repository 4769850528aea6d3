import torch

z = torch.tensor([1 + 2j, -0.5 + 0.5j], requires_grad=True)
w = torch.tensor([0.3 - 1j, 2 + 0j], requires_grad=True)
prod = z * w.conj()
loss = (prod.real ** 2 + prod.imag).sum()
loss.backward()
print(prod)
print(z.grad)
print(w.grad)
r = torch.view_as_real(prod)
print(r.shape, r.dtype)
