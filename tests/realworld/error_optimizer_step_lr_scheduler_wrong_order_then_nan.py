# A learner's loop: scheduler stepped per batch, lr grows too large, loss turns NaN and an assert fires
torch.manual_seed(3)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.5)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=lambda step: 3.0 ** step)
X = torch.randn(8, 2) * 5
y = X.sum(1, keepdim=True)
for step in range(20):
    opt.zero_grad()
    loss = F.mse_loss(model(X), y)
    loss.backward()
    opt.step()
    sched.step()
    print(f"step {step:2d} lr={sched.get_last_lr()[0]:<10.4g} loss={loss.item():.4g}")
    assert torch.isfinite(loss), f"loss diverged at step {step}"
