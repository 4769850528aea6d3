import torch
import torch.nn as nn

torch.manual_seed(5)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
grads = {}
handles = [p.register_hook(lambda g, n=n: grads.__setitem__(n, g.norm().item())) for n, p in model.named_parameters()]
acts = {}
for name, mod in model.named_children():
    mod.register_forward_hook(lambda m, i, o, name=name: acts.__setitem__(name, o.detach()))
out = model(torch.randn(5, 3)).pow(2).mean()
out.backward()
for h in handles:
    h.remove()
print(sorted((k, round(v, 4)) for k, v in grads.items()))
print(acts["1"].shape, acts["2"][0])
