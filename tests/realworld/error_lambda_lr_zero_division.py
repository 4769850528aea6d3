torch.manual_seed(115)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
warm = 3
sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=lambda e: 1 / (warm - e))
data = torch.randn(5, 2)
for epoch in range(5):
    opt.zero_grad()
    loss = model(data).abs().mean()
    loss.backward()
    opt.step()
    sched.step()
    print(epoch, sched.get_last_lr())
