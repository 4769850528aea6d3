import torch

torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
w = torch.randn(3, requires_grad=True)
y = (x * w).sum()
y.backward(retain_graph=True)
print(x.grad.clone())
w.data.mul_(2.0)  # .data: no version bump, so the second backward quietly uses the new w
y.backward()
print(x.grad, w)
