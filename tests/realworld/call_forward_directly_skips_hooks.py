import functools

import torch
import torch.nn as nn

torch.manual_seed(34)
model = nn.Linear(3, 2)
calls = []
model.register_forward_hook(lambda m, i, o: calls.append("hook"))
x = torch.randn(2, 3)
a = model(x)
b = model.forward(x)  # hooks do not run
run = functools.partial(model.__call__)
c = run(x)
print(calls)
print(torch.equal(a, b), torch.equal(a, c))
(a.sum() + 2 * b.sum() + 3 * c.sum()).backward()
print(model.weight.grad)
