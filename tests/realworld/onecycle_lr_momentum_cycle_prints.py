import torch
import torch.nn as nn

torch.manual_seed(11)
net = nn.Linear(3, 1)
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=6, pct_start=0.5)
x, y = torch.randn(16, 3), torch.randn(16, 1)
for step in range(6):
    loss = nn.functional.mse_loss(net(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    g = opt.param_groups[0]
    print(f"{step} lr={g['lr']:.5f} mom={g['momentum']:.4f} loss={loss.item():.4f}")
print(sched.get_last_lr())
