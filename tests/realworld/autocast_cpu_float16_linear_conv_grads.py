import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Conv1d(2, 3, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(12, 2))
x = torch.randn(4, 2, 4)
target = torch.randn(4, 2)
with torch.autocast("cpu", dtype=torch.float16):
    h = model[0](x)
    out = model[3](model[2](model[1](h)))
    print(h.dtype, out.dtype)
loss = nn.functional.mse_loss(out.float(), target)
loss.backward()
print(model[3].weight.grad.dtype, model[0].weight.grad.abs().sum() > 0)
print(model[3].bias.grad)
