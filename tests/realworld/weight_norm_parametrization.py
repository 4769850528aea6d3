import warnings
from torch.nn.utils.parametrizations import weight_norm

torch.manual_seed(31)
layer = weight_norm(nn.Linear(4, 3))
print(layer.parametrizations.weight.original0.shape, layer.parametrizations.weight.original1.shape)
x = torch.randn(5, 4)
loss = layer(x).pow(2).mean()
loss.backward()
print(layer.parametrizations.weight.original0.grad)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    old = torch.nn.utils.weight_norm(nn.Linear(4, 2), name="weight")
old_loss = old(x).sum()
old_loss.backward()
print(old.weight_g.grad.shape, old.weight_v.grad.shape)
with torch.nn.utils.parametrize.cached():
    y1 = layer(x)
    y2 = layer(x)
print(torch.equal(y1, y2))
