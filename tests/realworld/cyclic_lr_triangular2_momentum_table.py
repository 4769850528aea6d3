torch.manual_seed(4)
net = nn.Linear(4, 2)
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
sched = torch.optim.lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="triangular2", cycle_momentum=True, base_momentum=0.8, max_momentum=0.95)
data = torch.randn(6, 4)
labels = torch.tensor([0, 1, 1, 0, 1, 0])
rows = []
for it in range(8):
    logits = net(data)
    loss = F.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    g = opt.param_groups[0]
    rows.append((it, loss.item(), g["lr"], g["momentum"]))
print("%4s %9s %8s %9s" % ("it", "loss", "lr", "momentum"))
for r in rows:
    print("%4d %9.5f %8.4f %9.4f" % r)
print(sched.get_last_lr())
print(net.weight.grad)
