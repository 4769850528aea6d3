# Shape gymnastics of attention written without einops: view/permute/reshape/unflatten/movedim chains
torch.manual_seed(13)
B, T, H, D = 2, 3, 2, 4
x = torch.randn(B, T, H * D, requires_grad=True)
qkv = nn.Linear(H * D, 3 * H * D, bias=False)
q, k, v = qkv(x).chunk(3, dim=-1)
q, k, v = (t.unflatten(-1, (H, D)).transpose(1, 2) for t in (q, k, v))
att = (q @ k.transpose(-2, -1)) * D**-0.5
mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
att = att.masked_fill(mask, float("-inf")).softmax(dim=-1)
y = (att @ v).transpose(1, 2).contiguous().view(B, T, H * D)
ref = F.scaled_dot_product_attention(q, k, v, is_causal=True).movedim(1, 2).flatten(-2)
print(torch.allclose(y, ref, atol=1e-6))
loss = y.pow(2).sum() + 0 * ref.sum()
loss.backward()
print(x.grad.shape, x.grad.abs().max())
print(qkv.weight.grad.norm())
print(att[0, 0])
