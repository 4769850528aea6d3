torch.manual_seed(101)
x = torch.randn(16, 4)
y = x @ torch.tensor([[1.0], [-2.0], [0.5], [3.0]]) + 0.1
models = {name: nn.Linear(4, 1) for name in ("radam", "nadam", "adamax")}
for m in models.values():
    m.load_state_dict(models["radam"].state_dict())
opts = {
    "radam": torch.optim.RAdam(models["radam"].parameters(), lr=0.05, decoupled_weight_decay=True, weight_decay=0.01),
    "nadam": torch.optim.NAdam(models["nadam"].parameters(), lr=0.05, momentum_decay=0.004, foreach=False),
    "adamax": torch.optim.Adamax(models["adamax"].parameters(), lr=0.05, foreach=True),
}
for step in range(4):
    for name, model in models.items():
        opts[name].zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        opts[name].step()
    print(step, {k: round(F.mse_loss(m(x), y).item(), 4) for k, m in models.items()})
print(models["nadam"].weight)
print(opts["radam"].state[models["radam"].weight]["step"])
