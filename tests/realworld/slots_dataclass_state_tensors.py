# Training state kept in a slots dataclass and a __slots__ class (no __dict__ on either)
from dataclasses import dataclass

import torch


@dataclass(slots=True)
class State:
    w: torch.Tensor
    b: torch.Tensor
    step: int = 0


class Stats:
    __slots__ = ("loss", "grad_norm")

    def __init__(self):
        self.loss = None
        self.grad_norm = None


torch.manual_seed(1)
x = torch.randn(8, 2)
y = x @ torch.tensor([1.5, -2.0]) + 0.3
state = State(torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True))
stats = Stats()
for _ in range(3):
    pred = x @ state.w + state.b
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        state.w -= 0.1 * state.w.grad
        state.b -= 0.1 * state.b.grad
        stats.grad_norm = torch.cat([state.w.grad, state.b.grad]).norm()
        state.w.grad.zero_()
        state.b.grad.zero_()
    stats.loss = loss.detach()
    state.step += 1
print(state)
print(stats.loss, stats.grad_norm)
