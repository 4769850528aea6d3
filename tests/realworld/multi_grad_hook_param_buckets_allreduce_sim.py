# Simulated DDP bucket: register_multi_grad_hook fires once all grads of a bucket are ready.
import torch
import torch.nn as nn
from torch.autograd.graph import register_multi_grad_hook

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
buckets = [list(model[2].parameters()), list(model[0].parameters())]
fired = []


def make_hook(i):
    def hook(grads):
        fired.append(i)
        norms = [None if g is None else round(g.norm().item(), 4) for g in grads]
        print(f"bucket {i} ready: norms={norms}")

    return hook


handles = [register_multi_grad_hook(tuple(b), make_hook(i)) for i, b in enumerate(buckets)]
x = torch.randn(5, 3)
loss = model(x).logsumexp(1).mean()
loss.backward()
print("order:", fired)
for h in handles:
    h.remove()
loss2 = model(x).pow(2).mean()
loss2.backward()
print("after remove:", fired, model[0].bias.grad)
