torch.manual_seed(84)
net = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1))
seen = []


def pre_hook(module, grad_output):
    seen.append(tuple(g.shape for g in grad_output))
    return (grad_output[0] * 0.5,)


handle = net[2].register_full_backward_pre_hook(pre_hook)
x = torch.randn(4, 3)
out = net(x).sum()
out.backward()
print(seen)
print(net[0].weight.grad)
handle.remove()
net.zero_grad()
out2 = net(x).sum()
out2.backward()
print(net[2].bias.grad)
