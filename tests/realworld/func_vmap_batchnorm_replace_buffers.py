import torch
import torch.nn as nn
from torch.func import functional_call, grad, replace_all_batch_norm_modules_, vmap

torch.manual_seed(21)
net = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
params = {k: v.detach() for k, v in net.named_parameters()}
buffers = {k: v.detach() for k, v in net.named_buffers()}


def loss_fn(params, buffers, x, y):
    out = functional_call(net, (params, buffers), (x,))
    return nn.functional.mse_loss(out, y)


xs = torch.randn(3, 5, 3)
ys = torch.randn(3, 5, 1)
try:
    vmap(grad(loss_fn), in_dims=(None, None, 0, 0))(params, buffers, xs, ys)
except Exception as e:
    print(type(e).__name__)
replace_all_batch_norm_modules_(net)
grads = vmap(grad(loss_fn), in_dims=(None, None, 0, 0))(params, buffers, xs, ys)
print({k: tuple(v.shape) for k, v in grads.items()})
print(net[1].running_mean)
