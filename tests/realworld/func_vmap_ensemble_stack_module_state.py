# Model ensembling with torch.func: stack_module_state, vmap over functional_call (preds, the transform's result, was
# said to be a gradient a backward pass computed with create_graph=True).
import copy

from torch.func import functional_call, stack_module_state, vmap

torch.manual_seed(76)
models = [nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1)) for _ in range(3)]
params, buffers = stack_module_state(models)
base = copy.deepcopy(models[0]).to("meta")


def fmodel(params, buffers, x):
    return functional_call(base, (params, buffers), (x,))


x = torch.randn(5, 3)
preds = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, x)
loss = preds.pow(2).mean()
loss.backward()
print(preds.shape)
print(params["0.weight"].grad.shape, params["2.bias"].grad)
print(torch.allclose(preds[1], models[1](x), atol=1e-6))
