import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
x = torch.randn(8, 3)
out = model(x)
loss = out.pow(2).mean()
print("loss before re-init:", round(loss.item(), 4))


def reset(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)


model.apply(reset)          # "fresh weights" -- but the graph still needs the old ones
print(model[2].weight._version)
loss.backward()
print("never reached")
