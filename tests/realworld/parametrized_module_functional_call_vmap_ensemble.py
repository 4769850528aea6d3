import copy

import torch
import torch.nn as nn
import torch.nn.utils.parametrize as P
from torch.func import functional_call, stack_module_state, vmap


class Positive(nn.Module):
    def forward(self, w):
        return nn.functional.softplus(w)


torch.manual_seed(0)
base = nn.Linear(3, 1)
P.register_parametrization(base, "weight", Positive())
print(sorted(k for k, _ in base.named_parameters()))
models = [copy.deepcopy(base) for _ in range(3)]
for i, m in enumerate(models):
    with torch.no_grad():
        m.parametrizations.weight.original.add_(i)
params, buffers = stack_module_state(models)
x = torch.randn(5, 3)


def run(p, b, x):
    return functional_call(base, (p, b), (x,))


out = vmap(run, in_dims=(0, 0, None))(params, buffers, x)
print(out.shape)
ref = torch.stack([m(x) for m in models])
print(torch.allclose(out, ref, atol=1e-6))
loss = out.pow(2).mean()
loss.backward()
print(params["parametrizations.weight.original"].grad)
print(base.weight)
