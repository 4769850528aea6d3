import torch
import torch.nn as nn
from torch.func import functional_call, grad

torch.manual_seed(3)
model = nn.Linear(3, 1)
params = {k: v.detach() for k, v in model.named_parameters()}
X = torch.randn(8, 3)
Y = X @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3

def loss_fn(p, xb, yb):
    pred = functional_call(model, p, (xb,))
    return ((pred - yb) ** 2).mean()

for it in range(5):
    g = grad(loss_fn)(params, X, Y)
    params = {k: params[k] - 0.1 * g[k] for k in params}
    if it % 2 == 0:
        print(it, round(loss_fn(params, X, Y).item(), 5))
final = loss_fn(params, X, Y)
w = params["weight"]
print(w)
