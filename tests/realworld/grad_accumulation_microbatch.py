torch.manual_seed(11)
model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
data = torch.randn(8, 3)
target = torch.randn(8, 1)
accum_steps = 4
optimizer.zero_grad()
for i, (xb, yb) in enumerate(zip(data.split(2), target.split(2))):
    loss = F.mse_loss(model(xb), yb) / accum_steps
    loss.backward()
    if (i + 1) % accum_steps == 0:
        print("grad norm", round(model[0].weight.grad.norm().item(), 4))
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)
print(model[0].weight.grad.abs().sum().item())
print(model[2].bias)
