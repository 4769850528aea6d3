import torch
import torch.nn as nn

torch.manual_seed(23)
net = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 2))
log = []


def clip_hook(module, grad_input, grad_output):
    log.append((type(module).__name__, [None if g is None else tuple(g.shape) for g in grad_input]))
    return tuple(None if g is None else g.clamp(-0.05, 0.05) for g in grad_input)


for layer in net:
    layer.register_full_backward_hook(clip_hook)
inp = torch.randn(3, 4, requires_grad=True)
out = net(inp)
out.pow(2).sum().backward()
for entry in log:
    print(entry)
print(inp.grad.abs().max().item() <= 0.05)
print(net[0].weight.grad)
