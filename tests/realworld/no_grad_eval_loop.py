torch.manual_seed(10)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
xs = torch.randn(12, 2)
ys = xs @ torch.tensor([[2.0], [-1.0]]) + 0.5
val_losses = []
for epoch in range(3):
    model.train()
    pred = model(xs[:8])
    loss = F.mse_loss(pred, ys[:8])
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        val = F.mse_loss(model(xs[8:]), ys[8:])
        val_losses.append(val.item())
print(["%.4f" % v for v in val_losses])
print(val.requires_grad, loss.requires_grad)
