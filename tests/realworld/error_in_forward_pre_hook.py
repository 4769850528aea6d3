torch.manual_seed(113)
net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1))


def check_input(module, args):
    (x,) = args
    if x.shape[-1] != module.in_features:
        raise ValueError(f"expected {module.in_features} features, got {x.shape[-1]}")
    print("ok input", tuple(x.shape))


net[0].register_forward_pre_hook(check_input)
good = torch.randn(2, 4)
out = net(good)
out.sum().backward()
print(net[0].weight.grad.sum())
bad = torch.randn(2, 5)
net(bad)
