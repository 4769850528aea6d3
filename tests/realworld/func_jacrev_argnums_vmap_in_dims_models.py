# torch.func on a model: jacobian w.r.t. inputs and params (argnums), per-example losses with vmap(in_dims=(None, 0, 0))
import torch
import torch.nn as nn
from torch.func import functional_call, grad, jacrev, vmap

torch.manual_seed(21)
model = nn.Sequential(nn.Linear(3, 4), nn.GELU(), nn.Linear(4, 2))
params = {k: v.detach() for k, v in model.named_parameters()}
x = torch.randn(5, 3)
y = torch.randint(0, 2, (5,))


def f(p, xi):
    return functional_call(model, p, (xi,))


J_x = vmap(jacrev(f, argnums=1), in_dims=(None, 0))(params, x)
print(J_x.shape)


def loss_fn(p, xi, yi):
    logits = functional_call(model, p, (xi.unsqueeze(0),))
    return nn.functional.cross_entropy(logits, yi.unsqueeze(0)), logits.detach()


per_ex_grads, per_ex_logits = vmap(grad(loss_fn, has_aux=True), in_dims=(None, 0, 0))(params, x, y)
print({k: tuple(v.shape) for k, v in per_ex_grads.items()})
mean_grad = per_ex_grads["2.bias"].mean(0)
full = nn.functional.cross_entropy(model(x), y)
full.backward()
print(torch.allclose(mean_grad, model[2].bias.grad, atol=1e-6), per_ex_logits[0])
