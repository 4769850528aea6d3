torch.manual_seed(38)
net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
activations = {}


def save_and_scale(module, inputs, output):
    activations["relu"] = output.detach()
    return output * 0.5


def clamp_input(module, inputs):
    return (inputs[0].clamp(-1, 1),)


h1 = net[1].register_forward_hook(save_and_scale)
h2 = net[2].register_forward_pre_hook(clamp_input)
out = net(torch.randn(2, 3)).sum()
out.backward()
h1.remove()
h2.remove()
print(activations["relu"].shape, net[2].weight.grad)
