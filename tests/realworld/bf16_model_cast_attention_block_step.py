import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d=8, heads=2):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.norm2 = nn.RMSNorm(d)
        self.up = nn.Linear(d, 4 * d)
        self.down = nn.Linear(4 * d, d)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(d, dim=-1)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        att = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(att.transpose(1, 2).reshape(b, t, d))
        return x + self.down(F.gelu(self.up(self.norm2(x)), approximate="tanh"))


torch.manual_seed(0)
block = Block().to(torch.bfloat16)
head = nn.Linear(8, 5).bfloat16()
opt = torch.optim.AdamW([*block.parameters(), *head.parameters()], lr=1e-2)
tokens = torch.randn(2, 4, 8, dtype=torch.bfloat16)
targets = torch.randint(0, 5, (2, 4))
for step in range(2):
    logits = head(block(tokens))
    loss = F.cross_entropy(logits.float().view(-1, 5), targets.view(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.dtype, round(loss.item(), 3))
print(block.qkv.weight.grad.dtype, block.norm2.weight.grad)
