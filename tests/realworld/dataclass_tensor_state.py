from dataclasses import dataclass, field


@dataclass
class TrainState:
    weight: torch.Tensor
    bias: torch.Tensor
    history: list = field(default_factory=list)
    step: int = 0

    def loss(self, x, y):
        return ((x @ self.weight + self.bias - y) ** 2).mean()


torch.manual_seed(89)
state = TrainState(torch.randn(2, 1, requires_grad=True), torch.zeros(1, requires_grad=True))
x = torch.randn(6, 2)
y = x @ torch.tensor([[1.0], [2.0]])
for _ in range(3):
    l = state.loss(x, y)
    l.backward()
    with torch.no_grad():
        state.weight -= 0.1 * state.weight.grad
        state.bias -= 0.1 * state.bias.grad
        state.weight.grad = None
        state.bias.grad = None
    state.history.append(l.item())
    state.step += 1
print(state.step, [round(h, 4) for h in state.history])
w_final = state.weight
print(w_final)
