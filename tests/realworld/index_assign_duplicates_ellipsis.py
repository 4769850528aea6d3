import torch

x = torch.arange(1., 13.).view(3, 4).requires_grad_()
y = x * 1
y[:, [0, 0, 2]] += 1.0
y[..., None, ::2].mul_(2)
mask = y > 10
y[mask] = 0.0
y[1] = y[1] * -1
z = y[None, :, [True, False, True, False]]
loss = z.sum() + y.square().sum()
loss.backward()
print(y)
print(z.shape)
print(x.grad)
