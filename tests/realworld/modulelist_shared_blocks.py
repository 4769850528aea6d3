class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.lin = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        return x + self.norm(self.lin(x)).relu()


class Net(nn.Module):
    def __init__(self, dim=4, depth=3):
        super().__init__()
        shared = Block(dim)
        self.blocks = nn.ModuleList([Block(dim) for _ in range(depth)])
        self.shared = shared
        self.head = nn.Linear(dim, 1)

    def forward(self, x):
        for i, blk in enumerate(self.blocks):
            x = blk(x)
            if i % 2 == 0:
                x = self.shared(x)
        return self.head(x)


torch.manual_seed(47)
net = Net()
inp = torch.randn(2, 4)
out = net(inp).sum()
out.backward()
print(len(list(net.parameters())), sum(p.numel() for p in net.parameters()))
print(net.shared.lin.weight.grad)
print(net.blocks[1].norm.bias.grad)
