from dataclasses import dataclass, field


@dataclass
class Stats:
    mean: torch.Tensor
    var: torch.Tensor
    history: list = field(default_factory=list)


class Registry:
    items = {}

    @classmethod
    def add(cls, key, value):
        cls.items[key] = value
        return value


torch.manual_seed(22)
data = torch.randn(20, 3)
w = torch.ones(3, requires_grad=True)
scaled = data * w
stats = Stats(scaled.mean(0), scaled.var(0))
stats.history.append(stats.mean.sum())
z = Registry.add("z", (scaled - stats.mean) / stats.var.sqrt())
loss = z.pow(3).mean() + stats.history[0]
loss.backward()
print(w.grad)
print(Registry.items["z"].shape, stats.var)
