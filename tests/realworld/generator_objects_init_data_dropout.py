# Separate torch.Generator streams for init, data and dropout, so each is reproducible on its own.
import torch
from torch import nn

g_init = torch.Generator().manual_seed(10)
g_data = torch.Generator().manual_seed(20)
g_drop = torch.Generator().manual_seed(30)

lin = nn.Linear(4, 3)
with torch.no_grad():
    nn.init.normal_(lin.weight, std=0.2, generator=g_init)
    nn.init.uniform_(lin.bias, -0.1, 0.1, generator=g_init)

X = torch.randn(8, 4, generator=g_data)
y = torch.randint(0, 3, (8,), generator=g_data)
perm = torch.randperm(8, generator=g_data)
print("perm:", perm.tolist(), "labels:", y[perm].tolist())

keep = torch.bernoulli(torch.full((8, 3), 0.8), generator=g_drop)
logits = lin(X[perm]) * keep / 0.8
loss = nn.functional.cross_entropy(logits, y[perm])
loss.backward()
print(f"loss = {loss:.5f}")
print("grad of bias:", lin.bias.grad)
idx = torch.multinomial(torch.softmax(logits.detach(), 1), 2, replacement=True, generator=g_drop)
print(idx)
state = g_drop.get_state()
a = torch.rand(3, generator=g_drop)
g_drop.set_state(state)
b = torch.rand(3, generator=g_drop)
print("replayed equal:", torch.equal(a, b), "initial_seed", g_drop.initial_seed())
