import torch

t = torch.arange(6, dtype=torch.float32)
t.apply_(lambda v: v * v if v > 2 else -v)
print(t)
u = torch.ones(6)
u.map_(t, lambda a, b: a + b)
print(u)
w = u.clone().requires_grad_(True)
loss = (w * t).sum()
loss.backward()
print(w.grad)
