import torch
import torch.nn as nn
from torch.nn.utils.parametrizations import weight_norm

torch.manual_seed(0)

class Chomp1d(nn.Module):
    def __init__(self, chomp):
        super().__init__()
        self.chomp = chomp

    def forward(self, x):
        return x[:, :, :-self.chomp].contiguous()

class TemporalBlock(nn.Module):
    def __init__(self, cin, cout, k, dilation):
        super().__init__()
        pad = (k - 1) * dilation
        self.conv = weight_norm(nn.Conv1d(cin, cout, k, padding=pad, dilation=dilation))
        self.chomp = Chomp1d(pad)
        self.relu = nn.ReLU()
        self.down = nn.Conv1d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        out = self.relu(self.chomp(self.conv(x)))
        res = x if self.down is None else self.down(x)
        return self.relu(out + res)

tcn = nn.Sequential(TemporalBlock(2, 4, 3, 1), TemporalBlock(4, 4, 3, 2))
x = torch.randn(2, 2, 10)
y = tcn(x)
loss = y[:, :, -1].pow(2).mean()
loss.backward()
print(y.shape)
print(tcn[0].conv.parametrizations.weight.original0.grad.flatten()[:4])
print(f"{loss.item():.6f}")
