# Activation checkpointing of each transformer block (use_reentrant=False, as HF's gradient_checkpointing_enable
# does), with dropout inside: the RNG state is preserved so the recomputed forward equals the first; the grads
# match the same model run without checkpointing.
import copy

from torch.utils.checkpoint import checkpoint

torch.manual_seed(0)


class Block(nn.Module):
    def __init__(self, d=8):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 16), nn.GELU(), nn.Dropout(0.1), nn.Linear(16, d))

    def forward(self, x):
        return x + self.ff(self.ln(x))


class Model(nn.Module):
    def __init__(self, checkpointing):
        super().__init__()
        self.blocks = nn.ModuleList([Block(), Block()])
        self.checkpointing = checkpointing

    def forward(self, x):
        for block in self.blocks:
            x = checkpoint(block, x, use_reentrant=False) if self.checkpointing else block(x)
        return x


ckpt = Model(True)
plain = copy.deepcopy(ckpt)
plain.checkpointing = False
x = torch.randn(3, 5, 8)
torch.manual_seed(1)
out_ckpt = ckpt(x)
out_ckpt.pow(2).mean().backward()
torch.manual_seed(1)
out_plain = plain(x)
out_plain.pow(2).mean().backward()
print(torch.allclose(out_ckpt, out_plain))
print(all(torch.allclose(a.grad, b.grad, atol=1e-6) for a, b in zip(ckpt.parameters(), plain.parameters())))
print(ckpt.blocks[0].ln.weight.grad)
