# Incremental decoding with a key/value cache kept in a dict per layer, compared with full causal attention
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.h = heads

    def forward(self, x, cache=None):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.h, C // self.h).transpose(1, 2) for t in (q, k, v))
        if cache is not None:
            if "k" in cache:
                k = torch.cat([cache["k"], k], dim=2)
                v = torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        y = F.scaled_dot_product_attention(q, k, v, is_causal=cache is None)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


torch.manual_seed(39)
attn = CausalSelfAttention(8, 2)
x = torch.randn(1, 5, 8, requires_grad=True)
full = attn(x)
cache = {}
steps = [attn(x[:, t:t + 1], cache) for t in range(5)]
incremental = torch.cat(steps, dim=1)
print(torch.allclose(full, incremental, atol=1e-6), cache["k"].shape)
incremental.sum().backward()
print(x.grad[0, 0], attn.qkv.bias.grad[:4])
