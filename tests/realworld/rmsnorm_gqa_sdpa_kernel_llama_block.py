from torch.nn.attention import sdpa_kernel, SDPBackend
torch.manual_seed(120)


class Block(nn.Module):
    def __init__(self, d=8, heads=4, kv_heads=2):
        super().__init__()
        self.h, self.kv, self.dh = heads, kv_heads, d // heads
        self.norm1 = nn.RMSNorm(d, eps=1e-6)
        self.norm2 = nn.RMSNorm(d)
        self.q = nn.Linear(d, d, bias=False)
        self.kvp = nn.Linear(d, 2 * kv_heads * self.dh, bias=False)
        self.o = nn.Linear(d, d, bias=False)
        self.up = nn.Linear(d, 2 * 16, bias=False)
        self.down = nn.Linear(16, d, bias=False)
        self.register_buffer("mask_cache", torch.ones(1), persistent=False)

    def forward(self, x):
        B, T, D = x.shape
        h = self.norm1(x)
        q = self.q(h).view(B, T, self.h, self.dh).transpose(1, 2)
        k, v = self.kvp(h).view(B, T, 2, self.kv, self.dh).unbind(2)
        k, v = k.transpose(1, 2), v.transpose(1, 2)
        with sdpa_kernel(SDPBackend.MATH):
            a = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        x = x + self.o(a.transpose(1, 2).reshape(B, T, D))
        gate, up = self.up(self.norm2(x)).chunk(2, -1)
        return x + self.down(F.silu(gate) * up)


blk = Block()
x = torch.randn(2, 5, 8)
y = blk(x)
loss = y.pow(2).mean()
loss.backward()
print(y.shape, f"{loss.item():.5f}", list(blk.state_dict())[:3])
print(blk.norm1.weight.grad)
