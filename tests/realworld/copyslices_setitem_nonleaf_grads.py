import torch

x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
y = x * 2
y[0] = 0.0
y[1:3] *= torch.tensor([3.0, 4.0])
y[-1] = x[0] ** 2
print(y)
print(y.grad_fn.name())
z = y.sum()
z.backward()
print(x.grad)
M = torch.zeros(3, 3)
v = torch.tensor([1.0, -1.0, 2.0], requires_grad=True)
M = M.clone()
M[torch.arange(3), torch.arange(3)] = v
M[0, 2] = v[1] * 5
out = (M @ M).trace()
out.backward()
print(M)
print(v.grad)
