import enum
import functools
import tomllib
from dataclasses import dataclass

import torch
import torch.nn as nn

CONFIG = """
[model]
d_in = 3
hidden = [8, 4]
activation = "gelu"

[train]
lr = 0.05
steps = 4
"""


class Act(enum.StrEnum):
    RELU = enum.auto()
    GELU = enum.auto()


@dataclass(kw_only=True, frozen=True)
class ModelCfg:
    d_in: int
    hidden: list[int]
    activation: Act


@functools.cache
def activation(kind: Act) -> nn.Module:
    return {Act.RELU: nn.ReLU(), Act.GELU: nn.GELU()}[kind]


def build(cfg: ModelCfg) -> nn.Sequential:
    layers: list[nn.Module] = []
    d = cfg.d_in
    for h in cfg.hidden:
        layers += [nn.Linear(d, h), activation(cfg.activation)]
        d = h
    return nn.Sequential(*layers, nn.Linear(d, 1))


raw = tomllib.loads(CONFIG)
cfg = ModelCfg(**{**raw["model"], "activation": Act(raw["model"]["activation"])})
print(cfg)
torch.manual_seed(1)
model = build(cfg)
print(model[1] is model[3], activation.cache_info().hits)
opt = torch.optim.Adam(model.parameters(), lr=raw["train"]["lr"])
x, y = torch.randn(5, 3), torch.randn(5, 1)
for step in range(raw["train"]["steps"]):
    loss = (model(x) - y).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    match step:
        case 0:
            print("first", f"{loss.item():.4f}")
        case n if n == raw["train"]["steps"] - 1:
            print("last", f"{loss.item():.4f}")
print(model[4].weight.grad)
