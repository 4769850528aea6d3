torch.manual_seed(143)


class Scale(nn.Module):
    def __init__(self, n, init=1.0):
        super().__init__()
        self.n = n
        self.alpha = nn.Parameter(torch.full((n,), init))
        self.register_buffer("calls", torch.zeros((), dtype=torch.long))

    def forward(self, x):
        self.calls += 1
        return x * self.alpha

    def extra_repr(self):
        return f"n={self.n}, alpha_mean={self.alpha.mean().item():.3f}"


net = nn.Sequential(nn.Linear(3, 4), Scale(4, 0.5), nn.ModuleDict({"act": nn.GELU(approximate="tanh")}))
print(net)
print(list(net.state_dict().keys()))
print(sum(p.numel() for p in net.parameters() if p.requires_grad))
x = torch.randn(2, 3)
y = net[2]["act"](net[1](net[0](x)))
y.pow(2).sum().backward()
print(net)
print(net[1].alpha.grad, net[1].calls)
for name, child in net.named_children():
    print(name, type(child).__name__)
