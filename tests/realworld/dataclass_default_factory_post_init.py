from dataclasses import dataclass, field
import torch

@dataclass
class GaussianState:
    dim: int
    mean: torch.Tensor = field(default_factory=lambda: torch.zeros(2))
    log_std: torch.Tensor = None

    def __post_init__(self):
        if self.log_std is None:
            self.log_std = torch.zeros(self.dim, requires_grad=True)
        self.mean = self.mean.clone().requires_grad_(True)

    def nll(self, x):
        std = self.log_std.exp()
        return (0.5 * ((x - self.mean) / std) ** 2 + self.log_std).sum(-1).mean()

torch.manual_seed(44)
state = GaussianState(dim=2)
data = torch.randn(10, 2) * 2 + 1
loss = state.nll(data)
loss.backward()
print(state.mean.grad, state.log_std.grad)
print(state)
