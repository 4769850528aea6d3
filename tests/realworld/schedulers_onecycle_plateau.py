torch.manual_seed(21)
p = nn.Parameter(torch.tensor([2.0, -3.0]))
opt = torch.optim.SGD([p], lr=0.1, momentum=0.5, nesterov=True)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.5, total_steps=5)
lrs = []
for _ in range(4):
    opt.zero_grad()
    loss = (p ** 2).sum()
    loss.backward()
    opt.step()
    sched.step()
    lrs.append(round(sched.get_last_lr()[0], 5))
print(lrs, p)
