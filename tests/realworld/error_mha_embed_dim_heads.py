import torch
import torch.nn as nn

torch.manual_seed(0)
ok = nn.MultiheadAttention(embed_dim=8, num_heads=2, batch_first=True)
q = torch.randn(1, 3, 8)
out, w = ok(q, q, q)
print(out.shape, w.shape)
attn = nn.MultiheadAttention(
    embed_dim=10,
    num_heads=3,
    batch_first=True,
)
print(attn)
