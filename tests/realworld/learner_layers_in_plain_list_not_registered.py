# Layers kept in a plain Python list are not registered: the optimizer never sees them


class DeepNet(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.layers = [nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
        self.head = nn.Linear(sizes[-1], 1)

    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x))
        return self.head(x)


torch.manual_seed(0)
net = DeepNet([3, 5, 4])
print("registered parameters:", [n for n, _ in net.named_parameters()])
opt = torch.optim.SGD(net.parameters(), lr=0.1)
x, y = torch.randn(8, 3), torch.randn(8, 1)
w_before = net.layers[0].weight.detach().clone()
for step in range(3):
    loss = F.mse_loss(net(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
print("first layer changed:", not torch.equal(w_before, net.layers[0].weight))
print("but it has a grad:", net.layers[0].weight.grad.abs().sum().item() > 0)
print(net)


class FixedNet(DeepNet):
    def __init__(self, sizes):
        super().__init__(sizes)
        self.layers = nn.ModuleList(self.layers)


fixed = FixedNet([3, 5, 4])
print(len(list(fixed.parameters())), [n for n, _ in fixed.named_parameters()][:2])
