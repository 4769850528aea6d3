import math


class AffineCoupling(nn.Module):
    def __init__(self, dim, hidden=8, flip=False):
        super().__init__()
        self.flip = flip
        self.net = nn.Sequential(nn.Linear(dim // 2, hidden), nn.Tanh(), nn.Linear(hidden, dim))

    def forward(self, x):
        x1, x2 = x.chunk(2, dim=1)
        if self.flip:
            x1, x2 = x2, x1
        s, t = self.net(x1).chunk(2, dim=1)
        s = torch.tanh(s)
        y2 = x2 * torch.exp(s) + t
        logdet = s.sum(dim=1)
        y = torch.cat([y2, x1] if self.flip else [x1, y2], dim=1)
        return y, logdet


torch.manual_seed(19)
flows = nn.ModuleList([AffineCoupling(4), AffineCoupling(4, flip=True)])
x = torch.randn(5, 4)
z, log_det = x, torch.zeros(5)
for flow in flows:
    z, ld = flow(z)
    log_det = log_det + ld
log_pz = -0.5 * (z ** 2).sum(dim=1) - 0.5 * z.shape[1] * math.log(2 * math.pi)
nll = -(log_pz + log_det).mean()
nll.backward()
print(f"nll = {nll.item():.4f}")
print(log_det)
print(flows[0].net[0].weight.grad)
