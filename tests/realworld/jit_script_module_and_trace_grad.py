@torch.jit.script
def gelu_tanh(x):
    return 0.5 * x * (1.0 + torch.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, x):
        return x + gelu_tanh(self.lin(x))


torch.manual_seed(0)
block = Block()
scripted = torch.jit.script(block)
inp = torch.randn(3, 4, requires_grad=True)
out = scripted(inp)
loss = out.square().mean()
loss.backward()
print(type(out.grad_fn).__name__)
print(inp.grad)
print(scripted.lin.weight.grad.sum())

traced = torch.jit.trace(Block(), torch.randn(1, 4))
y = traced(inp.detach())
print(y.shape, y.requires_grad)
print(scripted.code.strip().splitlines()[0])
