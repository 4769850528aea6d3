import math

torch.manual_seed(43)
B, H, L, D = 1, 2, 4, 3
q = torch.randn(B, H, L, D, requires_grad=True)
k = torch.randn(B, H, L, D, requires_grad=True)
v = torch.randn(B, H, L, D, requires_grad=True)
out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
scores = q @ k.transpose(-2, -1) / math.sqrt(D)
mask = torch.ones(L, L, dtype=torch.bool).tril()
scores = scores.masked_fill(~mask, float("-inf"))
manual = scores.softmax(dim=-1) @ v
print(torch.allclose(out, manual, atol=1e-6))
bias = torch.zeros(L, L).masked_fill(~mask, float("-inf"))
out_bias = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, scale=0.5)
loss = out.sum() + manual.pow(2).sum() + out_bias.mean()
loss.backward()
print(q.grad[0, 0])
print(k.grad[0, 1])
print(v.grad.sum())
