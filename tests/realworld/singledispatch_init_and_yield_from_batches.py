from functools import singledispatch


@singledispatch
def init_layer(m):
    pass


@init_layer.register
def _(m: nn.Linear):
    nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain("tanh"))
    nn.init.zeros_(m.bias)


@init_layer.register
def _(m: nn.Conv1d):
    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
    nn.init.constant_(m.bias, 0.01)


def windows(signal, size, step):
    for start in range(0, signal.shape[-1] - size + 1, step):
        yield signal[..., start : start + size]


def epochs(signal, n):
    for e in range(n):
        yield from ((e, w) for w in windows(signal, 6, 3))


torch.manual_seed(8)
model = nn.Sequential(nn.Conv1d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 1), nn.Tanh())
model.apply(init_layer)
print(model[0].bias, model[3].bias)
signal = torch.sin(torch.linspace(0, 6.28, 12)).reshape(1, 1, 12)
opt = torch.optim.Adagrad(model.parameters(), lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)
for epoch, win in epochs(signal, 2):
    target = win[..., -1:].reshape(1, 1)
    loss = (model(win) - target).abs().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, round(loss.item(), 5))
print(opt.state[model[3].weight]["sum"])
