import torch
import torch.nn as nn
from torch.func import functional_call, grad_and_value, vmap

torch.manual_seed(6)
net = nn.Sequential(nn.Linear(3, 5), nn.LayerNorm(5), nn.GELU(), nn.Linear(5, 1))
acts = []
net[2].register_forward_hook(lambda m, i, o: acts.append(o.shape))
params = {k: v.detach() for k, v in net.named_parameters()}
buffers = {k: v for k, v in net.named_buffers()}


def loss_fn(p, x, y):
    pred = functional_call(net, (p, buffers), (x,))
    return nn.functional.mse_loss(pred, y)


x = torch.randn(8, 3)
y = torch.randn(8, 1)
g, loss = grad_and_value(loss_fn)(params, x, y)
print(f"loss {loss.item():.5f}", sorted(g))
per_sample = vmap(grad_and_value(loss_fn), in_dims=(None, 0, 0))(params, x.unsqueeze(1), y.unsqueeze(1))
ps_grads, ps_losses = per_sample
print(ps_grads["3.weight"].shape, ps_losses.shape)
print(torch.allclose(ps_grads["3.bias"].mean(0), g["3.bias"], atol=1e-6))
print(acts[:2], len(acts))
full = nn.functional.mse_loss(net(x), y)
full.backward()
print(torch.allclose(net[3].weight.grad, g["3.weight"], atol=1e-6))
