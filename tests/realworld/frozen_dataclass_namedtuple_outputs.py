from dataclasses import dataclass
from typing import NamedTuple
from functools import cached_property
import torch
import torch.nn as nn


@dataclass(frozen=True)
class Config:
    d_in: int = 3
    d_hidden: int = 4
    lr: float = 0.1


class Output(NamedTuple):
    logits: torch.Tensor
    hidden: torch.Tensor
    loss: torch.Tensor


class Model(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.cfg = cfg
        self.fc1 = nn.Linear(cfg.d_in, cfg.d_hidden)
        self.fc2 = nn.Linear(cfg.d_hidden, 2)

    @cached_property
    def n_params(self):
        return sum(p.numel() for p in self.parameters())

    def forward(self, x, target):
        hidden = torch.relu(self.fc1(x))
        logits = self.fc2(hidden)
        return Output(logits, hidden, nn.functional.cross_entropy(logits, target))


cfg = Config()
torch.manual_seed(0)
model = Model(cfg)
print(cfg, model.n_params)
x = torch.randn(6, cfg.d_in)
target = torch.tensor([0, 1, 1, 0, 1, 0])
out = model(x, target)
out.loss.backward()
print(out._fields, out.loss)
logits, hidden, loss = out
print(out.hidden.grad_fn.name(), logits.shape)
try:
    cfg.lr = 1.0
except Exception as e:
    print(type(e).__name__, e)
