import functools
import itertools
import operator

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
steps = [w * k for k in range(1, 4)]
running = list(itertools.accumulate(steps))
product = functools.reduce(operator.mul, steps)
matmul = operator.matmul(w, torch.ones(3))
acts = list(map(torch.tanh, steps))
total = sum(r.sum() for r in running) + product.sum() + matmul + sum(acts, torch.zeros(3)).sum()
total.backward()
print([r.tolist() for r in running][-1])
print(round(total.item(), 4), w.grad)
pairs = list(itertools.combinations(range(3), 2))
dist = torch.stack([(w[i] - w[j]).abs() for i, j in pairs])
print(pairs, dist)
