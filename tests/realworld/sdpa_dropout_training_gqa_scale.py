# Attention with dropout in training (seeded), grouped-query heads (enable_gqa) and an explicit scale
import math

import torch
import torch.nn.functional as F

torch.manual_seed(27)
B, Hq, Hkv, L, D = 2, 4, 2, 5, 8
q = torch.randn(B, Hq, L, D, requires_grad=True)
k = torch.randn(B, Hkv, L, D, requires_grad=True)
v = torch.randn(B, Hkv, L, D, requires_grad=True)
out = F.scaled_dot_product_attention(q, k, v, dropout_p=0.2, is_causal=True, scale=1 / math.sqrt(D) * 0.5, enable_gqa=True)
print(out.shape, out[0, 0, 0, :3])
loss = out.pow(2).mean()
loss.backward()
print(q.grad.abs().sum(), k.grad.abs().sum(), v.grad[1, 1, -1])
again = torch.randn(3)
print(again)
