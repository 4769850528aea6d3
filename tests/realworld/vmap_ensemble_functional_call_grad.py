import copy
from torch.func import stack_module_state, functional_call, vmap, grad

torch.manual_seed(21)
models = [nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)) for _ in range(3)]
params, buffers = stack_module_state(models)
base = copy.deepcopy(models[0]).to("meta")


def fmodel(p, b, x):
    return functional_call(base, (p, b), (x,))


x = torch.randn(4, 2)
target = torch.randn(4, 1)
preds = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, x)
print(preds.shape)
loss = ((preds - target) ** 2).mean()
loss.backward()
print({k: tuple(v.grad.shape) for k, v in params.items()})


def loss_fn(p, b, x, t):
    return F.mse_loss(fmodel(p, b, x), t)


per_model_grads = vmap(grad(loss_fn), in_dims=(0, 0, None, None))(params, buffers, x, target)
print(torch.allclose(per_model_grads["0.weight"] / 3, params["0.weight"].grad, atol=1e-6))
