# A TorchDispatchMode that logs each aten op of one training step (as debugging posts do to see what backward runs),
# with the step itself unchanged: the op counts forward and backward, and the trained weights.
from collections import Counter

from torch.utils._python_dispatch import TorchDispatchMode


class OpCounter(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.counts = Counter()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.counts[func.overloadpacket.__name__] += 1
        return func(*args, **(kwargs or {}))


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(5, 3), torch.randn(5, 1)
counter = OpCounter()
with counter:
    loss = F.mse_loss(model(x), y)
forward_ops = dict(counter.counts)
counter.counts.clear()
with counter:
    loss.backward()
backward_ops = dict(counter.counts)
opt.step()
print(sorted(forward_ops.items()))
print(sorted(backward_ops.items()))
print(model[2].weight)
