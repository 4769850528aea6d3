torch.manual_seed(68)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, epochs=2, steps_per_epoch=2)
x, y = torch.randn(4, 2), torch.randn(4, 1)
for epoch in range(3):
    for batch in range(2):
        loss = F.mse_loss(model(x[2 * batch: 2 * batch + 2]), y[2 * batch: 2 * batch + 2])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        print(epoch, batch, f"{sched.get_last_lr()[0]:.5f}")
