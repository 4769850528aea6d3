import torch
import torch.nn as nn

torch.manual_seed(8)
f = nn.Sequential(nn.Linear(3, 5), nn.Softplus(), nn.Linear(5, 3))
x = torch.randn(4, 3, requires_grad=True)
y = f(x)
v = torch.randn_like(y)
Jv, = torch.autograd.grad(y, x, grad_outputs=v, create_graph=True)
jac_penalty = Jv.pow(2).sum() / x.shape[0]
task = y.pow(2).mean()
loss = task + 0.01 * jac_penalty
loss.backward()
print(round(jac_penalty.item(), 4), round(task.item(), 4))
print(f[0].weight.grad.norm())
