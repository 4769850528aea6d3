torch.manual_seed(11)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.5)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1, threshold=1e-3)
x = torch.randn(6, 2)
y = torch.randn(6, 1)
best, bad_epochs = float("inf"), 0
for epoch in range(10):
    opt.zero_grad()
    loss = F.l1_loss(model(x), y)
    loss.backward()
    opt.step()
    with torch.no_grad():
        val_loss = F.l1_loss(model(x), y)
    scheduler.step(val_loss)
    if val_loss.item() < best - 1e-4:
        best, bad_epochs = val_loss.item(), 0
    else:
        bad_epochs += 1
    print(f"epoch {epoch}: val={val_loss.item():.4f} lr={opt.param_groups[0]['lr']}")
    if bad_epochs >= 3:
        print("early stop")
        break
print(model.weight.grad, model.bias.grad)
