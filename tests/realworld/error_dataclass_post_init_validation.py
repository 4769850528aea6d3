from dataclasses import dataclass, field

import torch


@dataclass
class Batch:
    x: torch.Tensor
    y: torch.Tensor
    weights: torch.Tensor = field(default=None)

    def __post_init__(self):
        if self.weights is None:
            self.weights = torch.ones(len(self.y))
        if self.x.shape[0] != self.y.shape[0]:
            raise ValueError(f"x has {self.x.shape[0]} rows but y has {self.y.shape[0]}")


torch.manual_seed(2)
w = torch.randn(3, requires_grad=True)
good = Batch(torch.randn(4, 3), torch.randn(4))
loss = (good.weights * (good.x @ w - good.y) ** 2).mean()
loss.backward()
print(w.grad, good.weights)
bad = Batch(torch.randn(5, 3), torch.randn(4))
