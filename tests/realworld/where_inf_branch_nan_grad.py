import torch

x = torch.tensor([-1.0, 0.0, 2.0, 4.0], requires_grad=True)
unsafe = torch.where(x > 0, torch.log(x), torch.zeros_like(x))
unsafe.sum().backward()
print("unsafe grad", x.grad)
x.grad = None
safe_x = torch.where(x > 0, x, torch.ones_like(x))
safe = torch.where(x > 0, torch.log(safe_x), torch.zeros_like(x))
safe.sum().backward()
print("safe grad", x.grad)
y = torch.tensor([0.5, -0.5], requires_grad=True)
m = torch.where(y > 0, y ** 2, -y)
m.sum().backward()
print(m, y.grad)
