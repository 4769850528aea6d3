import torch.fx


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(4, 4)
        self.scale = nn.Parameter(torch.ones(4) * 0.5)

    def forward(self, x):
        h = torch.relu(self.linear(x))
        return h * self.scale + x.sum(dim=-1, keepdim=True)


torch.manual_seed(347)
block = Block()
gm = torch.fx.symbolic_trace(block)
print([n.op for n in gm.graph.nodes])
x = torch.randn(2, 4)
out = gm(x)
loss = out.pow(2).mean()
loss.backward()
print(torch.allclose(out, block(x)))
print(gm.scale.grad)
print(block.linear.bias.grad)
