import numpy as np

torch.manual_seed(148)
rng = np.random.default_rng(148)
data = rng.normal(size=(5, 3))
layer = nn.Linear(3, 1)
x32 = torch.from_numpy(data).float()
pred = layer(x32)
pred.mean().backward()
print(pred.dtype, layer.weight.grad)
x64 = torch.from_numpy(data)
print(x64.dtype)
pred64 = layer(x64)
