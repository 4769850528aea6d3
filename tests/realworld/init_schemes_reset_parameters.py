import math

torch.manual_seed(134)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.proj = nn.Linear(d, d)
        self.gate = nn.Linear(d, d)
        self.scale = nn.Parameter(torch.empty(d))
        self.reset_parameters()

    def reset_parameters(self):
        nn.init.orthogonal_(self.proj.weight, gain=nn.init.calculate_gain("tanh"))
        nn.init.trunc_normal_(self.gate.weight, std=0.02, a=-0.04, b=0.04)
        nn.init.zeros_(self.proj.bias)
        nn.init.constant_(self.gate.bias, -1.0)
        nn.init.uniform_(self.scale, -1 / math.sqrt(4), 1 / math.sqrt(4))

    def forward(self, x):
        return torch.tanh(self.proj(x)) * torch.sigmoid(self.gate(x)) * self.scale


blk = Block(4)
inp = torch.randn(3, 4)
out = blk(inp)
print(out)
out.sum().backward()
print(blk.scale.grad, blk.proj.weight @ blk.proj.weight.T)
blk.reset_parameters()
print(blk.scale, blk.scale.grad)
