import torch
import torch.nn as nn

torch.manual_seed(0)
X = torch.randn(12, 4)
y = X @ torch.tensor([1.0, -1.0, 0.5, 2.0]) + 0.3


def make():
    torch.manual_seed(1)
    return nn.Linear(4, 1)


configs = {
    "adafactor": lambda p: torch.optim.Adafactor(p, lr=0.05),
    "adam_amsgrad": lambda p: torch.optim.Adam(p, lr=0.05, amsgrad=True),
    "adam_capturable": lambda p: torch.optim.Adam(p, lr=0.05, capturable=True),
    "adamw_foreach_maximize": lambda p: torch.optim.AdamW(p, lr=0.05, foreach=True, maximize=False),
}
results = {}
for name, make_opt in configs.items():
    model = make()
    opt = make_opt(model.parameters())
    try:
        opt.zero_grad()
        model(X).sum().backward()
        opt.step()
    except AssertionError as err:
        print(f"{name}: skipped ({str(err)[:40]}...)")
        continue
    for _ in range(5):
        opt.zero_grad()
        loss = ((model(X).squeeze(1) - y) ** 2).mean()
        loss.backward()
        opt.step()
    results[name] = loss.detach()
    print(f"{name:<24}{loss.item():>10.5f}")

opt = configs["adam_amsgrad"](model.parameters())
model(X).pow(2).mean().backward()
opt.step()
state = opt.state[model.weight]
print(sorted(state.keys()))
print("step tensor:", state["step"])
