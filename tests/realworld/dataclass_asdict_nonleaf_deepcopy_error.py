from dataclasses import dataclass, asdict, astuple


@dataclass
class StepRecord:
    step: int
    loss: torch.Tensor
    weight: torch.Tensor


torch.manual_seed(0)
lin = nn.Linear(3, 1)
x = torch.randn(4, 3)
history = []
for step in range(2):
    out = lin(x).pow(2).mean()
    out.backward()
    history.append(StepRecord(step, out.detach(), lin.weight.detach().clone()))
    with torch.no_grad():
        lin.weight -= 0.1 * lin.weight.grad
    lin.zero_grad()

print(asdict(history[0]))
print(astuple(history[1])[0])
record = StepRecord(2, lin(x).sum(), lin.weight)
print(record.loss.grad_fn.name())
snapshot = asdict(record)  # deepcopy of a non-leaf tensor: torch refuses
print(snapshot)
