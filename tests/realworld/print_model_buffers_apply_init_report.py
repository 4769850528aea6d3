class Scale(nn.Module):
    def __init__(self, n, init=1.0):
        super().__init__()
        self.gamma = nn.Parameter(torch.full((n,), init))
        self.register_buffer("calls", torch.zeros((), dtype=torch.long))

    def forward(self, x):
        self.calls += 1
        return x * self.gamma

    def extra_repr(self):
        return f"n={self.gamma.numel()}, init={self.gamma[0].item():.2f}"


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(3, 4), Scale(4, 0.5), nn.LeakyReLU(0.2), nn.Dropout(0.25))
        self.bn = nn.BatchNorm1d(4, momentum=0.2)
        self.out = nn.Linear(4, 1)

    def forward(self, x):
        return self.out(self.bn(self.body(x)))


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.trunc_normal_(m.weight, std=0.2, a=-0.4, b=0.4)
        nn.init.zeros_(m.bias)
        print(f"init {m}")


torch.manual_seed(0)
net = Net()
net.apply(init_weights)
print(net)
print([name for name, _ in net.named_buffers()])
print({k: tuple(v.shape) for k, v in net.state_dict().items()})
x = torch.randn(5, 3)
for _ in range(2):
    loss = net(x).pow(2).mean()
    loss.backward()
print(net.body[1].calls, net.bn.num_batches_tracked, net.bn.running_var)
print(net.body[1].gamma.grad)
total = sum(p.numel() for p in net.parameters())
trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
print(f"params: {total:,} total, {trainable:,} trainable")
net.eval()
print(net.training, net.body[3].training, net(x[:2]).squeeze().tolist())
