import torch
import torch.nn as nn


def _init(self, d_in, d_out):
    nn.Module.__init__(self)
    self.fc = nn.Linear(d_in, d_out)


def _forward(self, x):
    return torch.tanh(self.fc(x))


Dense = type("Dense", (nn.Module,), {"__init__": _init, "forward": _forward})
torch.manual_seed(4)
model = nn.Sequential(Dense(3, 5), Dense(5, 2))
print(model)
x = torch.randn(4, 3)
out = model(x)
loss = out.pow(2).sum()
loss.backward()
print(type(model[0]).__name__, model[0].fc.weight.grad.sum().item() != 0)
print(model[1].fc.bias.grad)
