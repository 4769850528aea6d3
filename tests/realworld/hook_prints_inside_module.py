torch.manual_seed(28)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        h = self.fc(x)
        h.register_hook(lambda g: print("block grad sum", round(g.sum().item(), 4)))
        return torch.tanh(h)


net = nn.Sequential(Block(), Block())
net[1].fc.weight.register_hook(lambda g: print("fc2 weight grad", tuple(g.shape)))
inp = torch.randn(2, 3)
out = net(inp).sum()
print("forward done")
out.backward()
print(net[0].fc.bias.grad)
