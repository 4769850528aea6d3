import math
from torch.nn.attention import SDPBackend, sdpa_kernel


def precompute_rope(dim, seq_len, theta=10000.0):
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 2).float() / dim))
    t = torch.arange(seq_len).float()
    angles = torch.outer(t, freqs)
    return torch.cos(angles), torch.sin(angles)


def apply_rope(x, cos, sin):
    x1, x2 = x[..., ::2], x[..., 1::2]
    rotated = torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)
    return rotated.flatten(-2)


class Attention(nn.Module):
    def __init__(self, dim=16, n_heads=4, n_kv_heads=2):
        super().__init__()
        self.n_heads, self.n_kv, self.hd = n_heads, n_kv_heads, dim // n_heads
        self.wq = nn.Linear(dim, n_heads * self.hd, bias=False)
        self.wkv = nn.Linear(dim, 2 * n_kv_heads * self.hd, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x, cos, sin, cache=None):
        B, T, _ = x.shape
        q = self.wq(x).view(B, T, self.n_heads, self.hd).transpose(1, 2)
        k, v = self.wkv(x).view(B, T, 2, self.n_kv, self.hd).permute(2, 0, 3, 1, 4)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        out = F.scaled_dot_product_attention(q, k, v, is_causal=cache is None, enable_gqa=True)
        return self.wo(out.transpose(1, 2).reshape(B, T, -1)), (k, v)


class Block(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.norm1, self.norm2 = nn.RMSNorm(dim, eps=1e-6), nn.RMSNorm(dim, eps=1e-6)
        self.attn = Attention(dim)
        self.w1, self.w3 = nn.Linear(dim, 32, bias=False), nn.Linear(dim, 32, bias=False)
        self.w2 = nn.Linear(32, dim, bias=False)

    def forward(self, x, cos, sin, cache=None):
        h, cache = self.attn(self.norm1(x), cos, sin, cache)
        x = x + h
        return x + self.w2(F.silu(self.w1(self.norm2(x))) * self.w3(self.norm2(x))), cache


torch.manual_seed(0)
vocab, dim, T = 20, 16, 6
emb = nn.Embedding(vocab, dim)
block = Block(dim)
head = nn.Linear(dim, vocab, bias=False)
head.weight = emb.weight  # weight tying
params = list(emb.parameters()) + list(block.parameters())
opt = torch.optim.AdamW(params, lr=3e-3, weight_decay=0.1, betas=(0.9, 0.95))
cos, sin = precompute_rope(dim // 4, 16)
tokens = torch.randint(0, vocab, (2, T + 1))

for step in range(4):
    x = emb(tokens[:, :-1])
    with sdpa_kernel(SDPBackend.MATH):
        h, _ = block(x, cos[:T], sin[:T])
    logits = head(h)
    loss = F.cross_entropy(logits.reshape(-1, vocab), tokens[:, 1:].reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    print(f"step {step} loss {loss.item():.4f} ppl {math.exp(loss.item()):.2f} grad-norm {norm.item():.3f}")

with torch.inference_mode():
    seq = tokens[:1, :3]
    h, cache = block(emb(seq), cos[:3], sin[:3])
    out = [seq[0].tolist()]
    nxt = head(h[:, -1]).argmax(-1, keepdim=True)
    for pos in range(3, 7):
        out[0].append(nxt.item())
        h, cache = block(emb(nxt), cos[pos : pos + 1], sin[pos : pos + 1], cache)
        nxt = head(h[:, -1]).argmax(-1, keepdim=True)
print("generated:", out[0], "cache:", tuple(cache[0].shape))
print(head.weight is emb.weight, emb.weight.grad.shape)
