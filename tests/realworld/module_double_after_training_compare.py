# Train in float32, then model.double() to check against a float64 finite-difference gradient
import torch
import torch.nn as nn

torch.manual_seed(20)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.2)
x = torch.randn(4, 2)
for _ in range(2):
    opt.zero_grad()
    model(x).pow(2).mean().backward()
    opt.step()
w_before = model[0].weight
model.double()
print(w_before is model[0].weight, model[0].weight.dtype)
xd = x.double()
loss = model(xd).pow(2).mean()
loss.backward()
g = model[2].bias.grad.clone()
eps = 1e-6
with torch.no_grad():
    model[2].bias += eps
    up = model(xd).pow(2).mean()
    model[2].bias -= 2 * eps
    down = model(xd).pow(2).mean()
    model[2].bias += eps
fd = (up - down) / (2 * eps)
print(torch.allclose(g, fd.reshape(1)), g)
