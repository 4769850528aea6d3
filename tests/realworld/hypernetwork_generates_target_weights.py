import torch
import torch.nn as nn
import torch.nn.functional as F


class HyperNet(nn.Module):
    def __init__(self, z_dim, in_f, out_f):
        super().__init__()
        self.in_f, self.out_f = in_f, out_f
        self.gen = nn.Linear(z_dim, in_f * out_f + out_f)

    def forward(self, z, x):
        flat = self.gen(z)
        weight = flat[: self.in_f * self.out_f].view(self.out_f, self.in_f)
        bias = flat[self.in_f * self.out_f :]
        return F.linear(x, weight, bias), weight


torch.manual_seed(9)
hyper = HyperNet(2, 3, 2)
task_codes = nn.Parameter(torch.randn(3, 2))
opt = torch.optim.Adam([*hyper.parameters(), task_codes], lr=0.05)
xs = torch.randn(3, 4, 3)
ys = torch.randn(3, 4, 2)
for step in range(3):
    total = 0.0
    for t in range(3):
        pred, w_t = hyper(task_codes[t], xs[t])
        total = total + F.mse_loss(pred, ys[t])
    opt.zero_grad()
    total.backward()
    opt.step()
print(w_t.shape, round(total.item(), 4))
print(task_codes.grad)
