class Mixture(nn.Module):
    def __init__(self):
        super().__init__()
        self.experts = nn.ParameterDict({
            "low": nn.Parameter(torch.tensor([0.5, -0.5])),
            "high": nn.Parameter(torch.tensor([2.0, 1.0])),
        })
        self.gate = nn.Parameter(torch.zeros(2))

    def forward(self, x):
        w = torch.softmax(self.gate, dim=0)
        return w[0] * (x * self.experts["low"]).sum(-1) + w[1] * (x * self.experts["high"]).sum(-1)


torch.manual_seed(56)
m = Mixture()
x = torch.randn(3, 2)
y = m(x)
loss = (y - 1).pow(2).mean()
loss.backward()
for name, p in m.named_parameters():
    print(name, p.grad)
print(m.experts)
