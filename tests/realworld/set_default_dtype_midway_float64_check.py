import torch

torch.manual_seed(0)
w32 = torch.randn(3, requires_grad=True)
print(torch.get_default_dtype(), w32.dtype)

torch.set_default_dtype(torch.float64)      # switch for a precise gradient check
w64 = w32.detach().double().requires_grad_()
x = torch.tensor([0.1, 0.2, 0.3])
print("x is", x.dtype)
f64 = (torch.exp(w64 * x) / (1 + w64 ** 2)).sum()
f64.backward()
eps = 1e-6
numeric = []
for i in range(3):
    e = torch.zeros(3)
    e[i] = eps
    plus = (torch.exp((w64.detach() + e) * x) / (1 + (w64.detach() + e) ** 2)).sum()
    minus = (torch.exp((w64.detach() - e) * x) / (1 + (w64.detach() - e) ** 2)).sum()
    numeric.append(((plus - minus) / (2 * eps)).item())
print("autograd:", w64.grad)
print("numeric :", torch.tensor(numeric))
torch.set_default_dtype(torch.float32)
f32 = (torch.exp(w32 * x.float()) / (1 + w32 ** 2)).sum()
f32.backward()
print("float32 error:", (w32.grad.double() - w64.grad).abs().max().item() < 1e-5)
