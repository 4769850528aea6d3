import torch
import torch.nn as nn

with torch.device("cpu"):
    torch.manual_seed(7)
    model = nn.Linear(3, 2)
    x = torch.randn(4, 3)
    buf = torch.zeros(2)
print(model.weight.device, x.device)
out = model(x) + buf
loss = out.square().mean()
loss.backward(retain_graph=True)
print(model.weight.grad)
torch.set_default_device("cpu")
extra = torch.ones(2, requires_grad=True)
total = (out * extra).sum()
total.backward()
print(extra.grad)
torch.set_default_device(None)
