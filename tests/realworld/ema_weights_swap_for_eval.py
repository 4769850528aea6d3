# An exponential moving average of a model's weights kept by hand in a dict of tensors (no AveragedModel), swapped
# into the model for evaluation and swapped back for training.
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
ema = {k: v.detach().clone() for k, v in model.state_dict().items()}
decay = 0.9
x, y = torch.randn(16, 4), torch.randint(0, 2, (16,))
for step in range(6):
    loss = F.cross_entropy(model(x), y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    with torch.no_grad():
        for k, v in model.state_dict().items():
            ema[k].mul_(decay).add_(v, alpha=1 - decay)

backup = {k: v.detach().clone() for k, v in model.state_dict().items()}
model.load_state_dict(ema)
with torch.no_grad():
    ema_acc = (model(x).argmax(1) == y).float().mean()
model.load_state_dict(backup)
live_logits = model(x)
print(f"last loss {loss.item():.4f} ema accuracy {ema_acc.item():.3f}")
print("ema differs:", not torch.equal(ema["0.weight"], model[0].weight))
print({k: tuple(v.shape) for k, v in ema.items()})
