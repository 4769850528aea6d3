import warnings

warnings.simplefilter("error")
torch.manual_seed(269)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
x = torch.randn(5, 3)
y = torch.randn(5, 1)
for epoch in range(2):
    opt.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    opt.step()
    sched.step()
    print(epoch, round(loss.item(), 5), sched.get_last_lr())
hidden = model[0](x)
print(hidden.grad)
