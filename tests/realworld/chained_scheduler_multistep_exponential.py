import torch
from torch.optim.lr_scheduler import MultiStepLR, ExponentialLR, ChainedScheduler, ConstantLR

w = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
sched = ChainedScheduler([
    ConstantLR(opt, factor=0.5, total_iters=2),
    ExponentialLR(opt, gamma=0.9),
])
sched2 = MultiStepLR(opt, milestones=[3, 5], gamma=0.1)
for epoch in range(6):
    loss = (w ** 2).sum() + w.prod()
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    sched2.step()
    print(f"epoch {epoch}: lr={sched.get_last_lr()[0]:.6f} loss={loss.item():.5f}")
print(w)
print(opt.state[w]["momentum_buffer"])
