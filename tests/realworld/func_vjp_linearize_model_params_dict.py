import torch
import torch.nn as nn
from torch.func import functional_call, jvp, linearize, vjp

torch.manual_seed(4)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
params = {k: v.detach() for k, v in model.named_parameters()}
x = torch.randn(5, 3)


def f(p):
    return functional_call(model, p, (x,))


out, vjp_fn = vjp(f, params)
(cotangents,) = vjp_fn(torch.ones_like(out))
print(sorted(cotangents), cotangents["2.bias"])
tangent = {k: torch.ones_like(v) for k, v in params.items()}
_, jvp_out = jvp(f, (params,), (tangent,))
y, jvp_fn = linearize(f, params)
print(torch.allclose(jvp_fn(tangent), jvp_out, atol=1e-6), torch.allclose(y, out))
loss = model(x).sum()
loss.backward()
print(torch.allclose(model[2].bias.grad, cotangents["2.bias"]))
