torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
decay, no_decay = [], []
for name, p in model.named_parameters():
    (no_decay if name.endswith("bias") else decay).append(p)
optimizers = {
    "adamw": torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-3),
    "sgd": torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, dampening=0.1),
    "rmsprop": torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.95),
}
for name, opt in optimizers.items():
    print(f"== {name}")
    print(opt)

opt = optimizers["adamw"]
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
x, y = torch.randn(8, 2), torch.randn(8, 1)
for epoch in range(5):
    loss = F.mse_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step(1.0)  # a validation loss that never improves
    print(epoch, [g["lr"] for g in opt.param_groups], sched.num_bad_epochs)
state = opt.state_dict()
print(sorted(state["state"][0]), state["state"][0]["step"], state["param_groups"][1]["params"])
print({k: v for k, v in sched.state_dict().items() if k in ("best", "num_bad_epochs", "cooldown_counter", "_last_lr")})
print(repr(state["state"][0]["exp_avg"]))
