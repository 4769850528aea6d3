import torch
import torch.nn as nn
from torch.func import functional_call, grad, replace_all_batch_norm_modules_, vmap

torch.manual_seed(2)
model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
replace_all_batch_norm_modules_(model)
print(model[1].running_mean, model[1].track_running_stats)
params = {k: v.detach() for k, v in model.named_parameters()}
x = torch.randn(6, 3)
y = torch.randint(0, 2, (6,))


def loss_one(p, xi, yi):
    out = functional_call(model, p, (xi.unsqueeze(0).expand(2, 3),))
    return nn.functional.cross_entropy(out, yi.expand(2))


per_sample = vmap(grad(loss_one), in_dims=(None, 0, 0))(params, x, y)
print({k: tuple(v.shape) for k, v in per_sample.items()})
mean_grad = per_sample["3.weight"].mean(0)
out = model(x)
loss = nn.functional.cross_entropy(out, y)
loss.backward()
print(mean_grad.shape, model[3].weight.grad.shape)
