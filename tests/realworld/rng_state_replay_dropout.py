import torch
import torch.nn as nn

torch.manual_seed(0)
drop = nn.Dropout(0.5)
x = torch.ones(8, requires_grad=True)
state = torch.get_rng_state()
a = drop(x)
torch.set_rng_state(state)
b = drop(x)
print(torch.equal(a, b))
(a + b).sum().backward()
print(x.grad)
g = torch.Generator().manual_seed(5)
c = torch.rand(3, generator=g)
print(c, torch.initial_seed())
print(torch.randint(0, 10, (5,)))
