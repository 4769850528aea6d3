import torch
from torch import nn
from torch.func import grad, functional_call, vmap

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.GELU(), nn.Linear(4, 1))
params = {k: v.detach() for k, v in model.named_parameters()}
X = torch.randn(5, 3)
Y = torch.randn(5, 1)

def compute_loss(params, x, y):
    pred = functional_call(model, params, (x.unsqueeze(0),))
    return ((pred - y.unsqueeze(0)) ** 2).mean()

per_sample = vmap(grad(compute_loss), in_dims=(None, 0, 0))(params, X, Y)
mean_grads = {k: g.mean(0) for k, g in per_sample.items()}

# the "ordinary" way
out = model(X)
loss = nn.functional.mse_loss(out, Y)
loss.backward()
for name, p in model.named_parameters():
    diff = (p.grad - mean_grads[name]).abs().max()
    print(name, tuple(per_sample[name].shape), f"{diff.item():.2e}")
print(model[2].weight.grad)
