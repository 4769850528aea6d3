torch.manual_seed(41)
net = nn.Sequential(nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 1))
x = torch.randn(2, 3)
first = net(x)


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)


net.apply(init_weights)
second = net(x)
(second.sum() + first.detach().sum()).backward()
print(net[2].bias, net[2].bias.grad)
print(net[0].weight.grad)
