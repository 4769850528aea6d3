# Three schedulers side by side on three copies of one model: OneCycleLR stepped per batch, CosineAnnealingLR per
# epoch, ReduceLROnPlateau on a validation loss that stops improving; a table of learning rates per epoch.
import copy

torch.manual_seed(0)
base = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
models = [copy.deepcopy(base) for _ in range(3)]
opts = [torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9) for m in models]
steps_per_epoch, epochs = 2, 3
scheds = [
    torch.optim.lr_scheduler.OneCycleLR(opts[0], max_lr=0.5, total_steps=steps_per_epoch * epochs),
    torch.optim.lr_scheduler.CosineAnnealingLR(opts[1], T_max=epochs, eta_min=0.01),
    torch.optim.lr_scheduler.ReduceLROnPlateau(opts[2], mode="min", factor=0.5, patience=0),
]
X, Y = torch.randn(9, 3), torch.randn(9, 1)
val_losses = [1.0, 0.9, 0.95]
print(f"{'epoch':>5} {'onecycle':>9} {'cosine':>8} {'plateau':>8}")
for epoch in range(epochs):
    for b in range(steps_per_epoch):
        xb, yb = X[b * 3 : b * 3 + 3], Y[b * 3 : b * 3 + 3]
        for i, (m, opt) in enumerate(zip(models, opts)):
            opt.zero_grad()
            loss = F.mse_loss(m(xb), yb)
            loss.backward()
            opt.step()
            if i == 0:
                scheds[0].step()
    scheds[1].step()
    scheds[2].step(val_losses[epoch])
    lrs = [o.param_groups[0]["lr"] for o in opts]
    print(f"{epoch:>5} {lrs[0]:>9.5f} {lrs[1]:>8.5f} {lrs[2]:>8.5f}")
print("momentum of onecycle:", round(opts[0].param_groups[0]["momentum"], 4))
print(scheds[1].get_last_lr(), scheds[2].get_last_lr())
