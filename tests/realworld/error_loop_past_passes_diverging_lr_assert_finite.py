torch.manual_seed(0)
x = torch.randn(32, 4)
y = x @ torch.tensor([2.0, -1.0, 0.5, 3.0]) * 10
model = nn.Linear(4, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.68)


def train_step(step):
    opt.zero_grad()
    loss = F.mse_loss(model(x).squeeze(-1), y)
    loss.backward()
    opt.step()
    return loss


for step in range(1000):
    loss = train_step(step)
    if step % 25 == 0:
        print(f"step {step:4d} loss {loss.item():.3e}")
    assert torch.isfinite(loss), f"loss diverged at step {step}"
