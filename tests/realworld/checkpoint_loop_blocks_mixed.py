from torch.utils.checkpoint import checkpoint

torch.manual_seed(71)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.lin = nn.Linear(d, d)
        self.norm = nn.LayerNorm(d)

    def forward(self, x):
        return x + torch.tanh(self.lin(self.norm(x)))


blocks = nn.ModuleList([Block(4) for _ in range(3)])
x = torch.randn(2, 4, requires_grad=True)
h = x
for i, blk in enumerate(blocks):
    h = checkpoint(blk, h, use_reentrant=(i % 2 == 0))
loss = h.pow(2).mean()
loss.backward()
print(f"loss={loss.item():.5f}")
print(x.grad)
print(blocks[1].lin.weight.grad.norm())
