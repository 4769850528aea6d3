from torch.func import functional_call, jacrev, vmap

torch.manual_seed(120)
net = nn.Sequential(nn.Linear(3, 4), nn.Softplus(), nn.Linear(4, 2))
params = dict(net.named_parameters())
xs = torch.randn(5, 3)


def single(p, x):
    return functional_call(net, p, (x,))


jac = vmap(jacrev(single, argnums=1), in_dims=(None, 0))(params, xs)
print(jac.shape)
penalty = jac.pow(2).sum(dim=(1, 2)).mean()
task = net(xs).pow(2).mean()
loss = task + 0.1 * penalty
loss.backward()
print(penalty, task)
print(net[0].weight.grad)
print(net[2].bias.grad)
