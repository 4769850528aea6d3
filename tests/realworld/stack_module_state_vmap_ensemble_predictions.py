# The model-ensembling tutorial: five copies of a model stacked with torch.func.stack_module_state, a "base"
# model on the meta device, vmap over functional_call for all predictions at once, then the same by a loop.
import copy

from torch.func import functional_call, stack_module_state

torch.manual_seed(0)
models = [nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)) for _ in range(5)]
params, buffers = stack_module_state(models)
base_model = copy.deepcopy(models[0]).to("meta")


def fmodel(params, buffers, x):
    return functional_call(base_model, (params, buffers), (x,))


minibatch = torch.randn(3, 4)
predictions = torch.vmap(fmodel, in_dims=(0, 0, None))(params, buffers, minibatch)
loop = torch.stack([m(minibatch) for m in models])
print(predictions.shape, torch.allclose(predictions, loop, atol=1e-6))
print(sorted(params), params["0.weight"].shape, params["0.weight"].requires_grad)
loss = predictions.logsumexp(-1).mean()
loss.backward()
print(params["2.bias"].grad)
