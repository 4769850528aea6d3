from collections import Counter

from torch.overrides import TorchFunctionMode


class OpCounter(TorchFunctionMode):
    def __init__(self):
        super().__init__()
        self.counts = Counter()

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.counts[getattr(func, "__name__", str(func))] += 1
        return func(*args, **(kwargs or {}))


torch.manual_seed(162)
net = nn.Sequential(nn.Linear(4, 4), nn.GELU(), nn.Linear(4, 2))
data = torch.randn(3, 4)
with OpCounter() as counter:
    logits = net(data)
    loss = F.cross_entropy(logits, torch.tensor([0, 1, 1]))
    loss.backward()
print(sorted(counter.counts.items()))
print(logits, net[0].bias.grad)
