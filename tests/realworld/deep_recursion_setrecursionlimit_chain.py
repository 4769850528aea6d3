import sys
import torch

sys.setrecursionlimit(3000)


def power_tower(x, n):
    if n == 0:
        return x
    return torch.tanh(power_tower(x, n - 1) * 1.01 + 0.1)


x = torch.tensor([0.3, -0.2], requires_grad=True)
y = power_tower(x, 900)
y.sum().backward()
print(y, "vanished:", bool(x.grad.abs().max() < 1e-6))


def count(node, seen=None):
    seen = set() if seen is None else seen
    if node is None or node in seen:
        return 0
    seen.add(node)
    return 1 + sum(count(n, seen) for n, _ in node.next_functions)


z = power_tower(x, 400)
print("nodes:", count(z.grad_fn))
