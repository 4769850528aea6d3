# Per-sample gradients of a small MLP over a batch, as the torch.func tutorial computes them.
from torch.func import functional_call, grad, vmap

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 3))
params = {k: v.detach() for k, v in model.named_parameters()}


def loss_fn(params, x, y):
    out = functional_call(model, params, (x.unsqueeze(0),))
    return F.cross_entropy(out, y.unsqueeze(0))


x = torch.randn(64, 8)
y = torch.randint(0, 3, (64,))
per_sample = vmap(grad(loss_fn), in_dims=(None, 0, 0))(params, x, y)
for name, g in per_sample.items():
    print(name, tuple(g.shape), round(g.norm().item(), 4))
