torch.manual_seed(97)
model = nn.Linear(4, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.amp.GradScaler("cpu", init_scale=128.0)
accum = 2
data = torch.randn(8, 4)
target = torch.randint(0, 2, (8,))
opt.zero_grad()
for i in range(4):
    xb, yb = data[i * 2:(i + 1) * 2], target[i * 2:(i + 1) * 2]
    loss = F.cross_entropy(model(xb), yb) / accum
    scaler.scale(loss).backward()
    if (i + 1) % accum == 0:
        scaler.unscale_(opt)
        torch.nn.utils.clip_grad_value_(model.parameters(), 0.5)
        scaler.step(opt)
        scaler.update()
        print(i, scaler.get_scale(), f"{loss.item():.4f}")
        last_grad = model.weight.grad.clone()
        opt.zero_grad()
print(last_grad)
print(model.bias)
