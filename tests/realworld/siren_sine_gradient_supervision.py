import numpy as np
import torch
from torch import nn


class SineLayer(nn.Module):
    def __init__(self, in_features, out_features, is_first=False, omega_0=30.0):
        super().__init__()
        self.omega_0 = omega_0
        self.is_first = is_first
        self.linear = nn.Linear(in_features, out_features)
        with torch.no_grad():
            if self.is_first:
                self.linear.weight.uniform_(-1 / in_features, 1 / in_features)
            else:
                bound = np.sqrt(6 / in_features) / self.omega_0
                self.linear.weight.uniform_(-bound, bound)

    def forward(self, input):
        return torch.sin(self.omega_0 * self.linear(input))


torch.manual_seed(2)
net = nn.Sequential(SineLayer(1, 8, is_first=True), SineLayer(8, 8), nn.Linear(8, 1))
coords = torch.linspace(-1, 1, 5).view(-1, 1).requires_grad_(True)
values = net(coords)
grad = torch.autograd.grad(values, coords, grad_outputs=torch.ones_like(values), create_graph=True)[0]
target = torch.cos(3 * coords.detach())
loss = ((values - torch.sin(3 * coords.detach())) ** 2).mean() + ((grad - 3 * target) ** 2).mean()
loss.backward()
print("loss %.5f" % loss.item())
print(net[0].linear.weight.grad.flatten()[:3])
