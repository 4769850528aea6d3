import torch
import torch.nn as nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters

torch.manual_seed(2)
net = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1))
x = torch.randn(5, 2)
y = torch.randn(5, 1)
flat = parameters_to_vector(net.parameters()).detach().requires_grad_(True)

def loss_of(theta):
    w1 = theta[:4].view(2, 2); b1 = theta[4:6]; w2 = theta[6:8].view(1, 2); b2 = theta[8:9]
    h = torch.tanh(x @ w1.t() + b1)
    return ((h @ w2.t() + b2 - y) ** 2).mean()

H = torch.autograd.functional.hessian(loss_of, flat)
print(H.shape, torch.allclose(H, H.t(), atol=1e-6))
evals = torch.linalg.eigvalsh(H)
print("largest eig", round(evals[-1].item(), 4))
loss = loss_of(flat)
loss.backward()
step = flat.grad.clone()
with torch.no_grad():
    vector_to_parameters(flat - 0.1 * step, net.parameters())
print(net[2].bias, loss)
