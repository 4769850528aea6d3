from torch.nn.modules.module import register_module_forward_hook, register_module_full_backward_hook

torch.manual_seed(157)
log = []


def fwd(module, inputs, output):
    log.append(("fwd", type(module).__name__, tuple(output.shape)))


def bwd(module, grad_input, grad_output):
    log.append(("bwd", type(module).__name__, grad_output[0].abs().sum().round(decimals=3).item()))


h1 = register_module_forward_hook(fwd)
h2 = register_module_full_backward_hook(bwd)
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
x = torch.randn(2, 3, requires_grad=True)
y = net(x)
y.sum().backward()
h1.remove()
h2.remove()
net(x).sum().backward()
for entry in log:
    print(entry)
print(x.grad)
