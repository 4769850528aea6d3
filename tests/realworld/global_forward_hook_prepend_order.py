from torch.nn.modules.module import register_module_forward_hook, register_module_forward_pre_hook

torch.manual_seed(6)
order = []
net = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1))


def global_hook(module, inputs, output):
    order.append(f"global:{type(module).__name__}")


def local_first(module, inputs, output):
    order.append("local-prepended")


def local_last(module, inputs, output):
    order.append("local")
    return output * 2


def count_pre(module, inputs):
    order.append(f"pre:{type(module).__name__}")


g = register_module_forward_hook(global_hook)
gp = register_module_forward_pre_hook(count_pre)
h1 = net[2].register_forward_hook(local_last)
h2 = net[2].register_forward_hook(local_first, prepend=True)
x = torch.randn(4, 2)
y = net(x)
g.remove()
gp.remove()
print(order)
y.mean().backward()
print(y.squeeze())
print(net[2].weight.grad)
