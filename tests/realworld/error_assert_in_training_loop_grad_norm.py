torch.manual_seed(192)
model = nn.Sequential(nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 1))
opt = torch.optim.SGD(model.parameters(), lr=1.0)
x, y = torch.randn(6, 3), torch.randn(6, 1) * 50
for step in range(10):
    opt.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    gnorm = torch.sqrt(sum(p.grad.pow(2).sum() for p in model.parameters()))
    assert gnorm < 200, f"step {step}: gradient exploded ({gnorm:.1f})"
    opt.step()
    print(step, f"{loss.item():.2f}")
