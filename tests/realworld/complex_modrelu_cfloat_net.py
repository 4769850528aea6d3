import torch
import torch.nn as nn


class ModReLU(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.b = nn.Parameter(torch.full((features,), -0.1))

    def forward(self, z):
        mag = z.abs()
        return torch.relu(mag + self.b) * z / (mag + 1e-8)


torch.manual_seed(14)
net = nn.Sequential(nn.Linear(4, 3, dtype=torch.cfloat), ModReLU(3), nn.Linear(3, 2, dtype=torch.cfloat))
signal = torch.randn(6, 4, dtype=torch.cfloat)
target = torch.randn(6, 2, dtype=torch.cfloat)
opt = torch.optim.Adam(net.parameters(), lr=0.01)
for step in range(3):
    opt.zero_grad()
    pred = net(signal)
    loss = (pred - target).abs().pow(2).mean()
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.5f}")
print(net[0].weight.grad.dtype, net[1].b.grad)
print(torch.view_as_real(pred).shape, pred.angle().mean().item() != 0)
