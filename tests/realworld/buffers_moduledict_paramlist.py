torch.manual_seed(15)

class Heads(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("scale", torch.tensor([2.0, 0.5]))
        self.register_buffer("steps", torch.zeros((), dtype=torch.long), persistent=False)
        self.heads = nn.ModuleDict({"cls": nn.Linear(2, 3), "reg": nn.Linear(2, 1)})
        self.gates = nn.ParameterList([nn.Parameter(torch.ones(2)), nn.Parameter(torch.full((2,), 0.5))])
        self.extra = nn.ParameterDict({"bias": nn.Parameter(torch.zeros(1))})

    def forward(self, x):
        self.steps += 1
        for g in self.gates:
            x = x * g
        x = x * self.scale
        return self.heads["cls"](x).sum() + self.heads["reg"](x).sum() + self.extra["bias"]

net = Heads()
batch = torch.randn(4, 2)
loss = net(batch)
loss.backward()
print(sorted(net.state_dict().keys()))
print(net.steps, net.gates[1].grad)
