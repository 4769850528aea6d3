torch.manual_seed(45)
q = torch.randn(1, 2, 4, 8, requires_grad=True)
k = torch.randn(1, 2, 4, 8, requires_grad=True)
v = torch.randn(1, 2, 4, 8, requires_grad=True)
attn = F.scaled_dot_product_attention(q, k, v, is_causal=True)
manual = torch.softmax((q @ k.transpose(-2, -1)) / 8**0.5 + torch.full((4, 4), float("-inf")).triu(1), dim=-1) @ v
print(torch.allclose(attn, manual, atol=1e-5))
(attn.sum() + manual.pow(2).sum()).backward()
print(v.grad[0, 0])
