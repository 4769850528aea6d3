# 스케줄러 여러 개를 이어 붙이기
from torch.optim.lr_scheduler import LambdaLR, CosineAnnealingWarmRestarts, SequentialLR, ExponentialLR, ChainedScheduler, MultiStepLR

torch.manual_seed(5)
w = nn.Parameter(torch.randn(2))
opt = torch.optim.Adam([w], lr=0.1)
warmup = LambdaLR(opt, lr_lambda=lambda step: (step + 1) / 3)
cosine = CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.001)
sched = SequentialLR(opt, schedulers=[warmup, cosine], milestones=[3])
history = []
for step in range(7):
    opt.zero_grad()
    loss = (w - torch.tensor([1.0, -1.0])).pow(2).sum()
    loss.backward()
    opt.step()
    sched.step()
    history.append(round(opt.param_groups[0]["lr"], 6))
print("lr:", history)

v = nn.Parameter(torch.ones(3))
opt2 = torch.optim.SGD([v], lr=1.0)
chain = ChainedScheduler([ExponentialLR(opt2, gamma=0.9), MultiStepLR(opt2, milestones=[2], gamma=0.1)])
for step in range(4):
    opt2.zero_grad()
    out = (v * torch.arange(3.0)).sum()
    out.backward()
    opt2.step()
    chain.step()
    print(step, [round(x, 5) for x in chain.get_last_lr()], v.data)
print(w, v)
