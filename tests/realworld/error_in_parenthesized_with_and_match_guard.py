# Python 3.10+ syntax around an error: a parenthesized multi-line `with` of two context managers, and a `match`
# on the optimizer's name whose guard calls a tensor method that fails on the third config.
import contextlib

torch.manual_seed(0)
model = nn.Linear(3, 1)
configs = [{"opt": "sgd", "lr": 0.1}, {"opt": "adam", "lr": torch.tensor(1e-3)}, {"opt": "adam", "lr": "1e-3"}]
for config in configs:
    with (
        torch.no_grad(),
        contextlib.suppress(KeyError),
    ):
        preview = model(torch.ones(1, 3))
    match config:
        case {"opt": "sgd", "lr": lr}:
            opt = torch.optim.SGD(model.parameters(), lr=lr)
        case {"opt": "adam", "lr": lr} if float(lr) > 0 and lr.item() < 1:
            opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss = model(torch.randn(4, 3)).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(config["opt"], f"{loss.item():.4f}", preview.requires_grad)
