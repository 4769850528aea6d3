# "Why is my weight.grad None?" — a StackOverflow classic, then the fix.
import torch

w = torch.randn(2, 2, requires_grad=True).double()
x = torch.ones(2, dtype=torch.float64)
loss = (w @ x).sum()
loss.backward()
print("w.is_leaf:", w.is_leaf, "w.grad:", w.grad)

w = torch.randn(2, 2, dtype=torch.float64, requires_grad=True)
loss = (w @ x).sum()
loss.backward()
print("fixed: w.is_leaf:", w.is_leaf, "w.grad:", w.grad)

v = torch.randn(3, requires_grad=True) * 2
v.retain_grad()
(v**2).sum().backward()
print("retained:", v.grad is not None, v.grad.shape)
