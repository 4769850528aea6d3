import torch
import torch.nn as nn


class Shadowed(nn.Module):
    """Keeps an EMA copy of each parameter as a buffer named <param>_ema."""

    def __init__(self, module, decay=0.9):
        super().__init__()
        self.module = module
        self.decay = decay
        for name, p in module.named_parameters():
            self.register_buffer(name.replace(".", "_") + "_ema", p.detach().clone())

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self.module, name)

    @torch.no_grad()
    def update(self):
        for name, p in self.module.named_parameters():
            ema = getattr(self, name.replace(".", "_") + "_ema")
            ema.mul_(self.decay).add_(p, alpha=1 - self.decay)

    def forward(self, x):
        return self.module(x)


torch.manual_seed(0)
net = Shadowed(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)))
opt = torch.optim.SGD(net.parameters(), lr=0.1)
x = torch.randn(4, 2)
for i in range(3):
    loss = net(x).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    net.update()
print(net.training, len(list(net.buffers())), [n for n, _ in net.named_buffers()])
print(net.module[0].weight)
print(getattr(net, "0_weight_ema"))
