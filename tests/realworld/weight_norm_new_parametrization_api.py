from torch.nn.utils.parametrizations import weight_norm
from torch.nn.utils import parametrize

torch.manual_seed(13)
layer = weight_norm(nn.Linear(3, 2), name="weight", dim=0)
print(layer.parametrizations.weight.original0.shape, layer.parametrizations.weight.original1.shape)
x = torch.randn(4, 3)
loss = layer(x).tanh().sum()
loss.backward()
g = layer.parametrizations.weight.original0
v = layer.parametrizations.weight.original1
print(g.grad)
print(v.grad)
with parametrize.cached():
    w1 = layer.weight
    w2 = layer.weight
print(w1 is w2)
parametrize.remove_parametrizations(layer, "weight", leave_parametrized=True)
print(type(layer.weight).__name__, layer.weight.requires_grad)
