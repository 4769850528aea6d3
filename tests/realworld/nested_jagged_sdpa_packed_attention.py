# Attention over variable-length sequences with no padding (the "packed" pattern): q, k, v as jagged nested tensors
# made with nested_tensor_from_jagged from one packed buffer and its offsets, F.scaled_dot_product_attention on
# them, and the gradient of the packed projections against per-sequence attention done one by one.
from torch.nested import nested_tensor_from_jagged

torch.manual_seed(0)
heads, head_dim = 2, 4
lengths = torch.tensor([3, 5, 2])
offsets = torch.cat([torch.zeros(1, dtype=torch.long), lengths.cumsum(0)])
tokens = torch.randn(int(lengths.sum()), heads * head_dim)
qkv = nn.Linear(heads * head_dim, 3 * heads * head_dim)
packed = qkv(tokens)
q, k, v = packed.chunk(3, dim=-1)


def as_heads(t):
    return nested_tensor_from_jagged(t.contiguous().view(-1, heads, head_dim), offsets).transpose(1, 2)


out = F.scaled_dot_product_attention(as_heads(q), as_heads(k), as_heads(v))
values = out.transpose(1, 2).values()
loss = values.square().mean()
loss.backward()
print(out.is_nested, values.shape, f"{loss.item():.5f}")

ref = []
for start, end in zip(offsets[:-1].tolist(), offsets[1:].tolist()):
    qs, ks, vs = (t[start:end].detach().reshape(-1, heads, head_dim).transpose(0, 1) for t in (q, k, v))
    ref.append(F.scaled_dot_product_attention(qs, ks, vs).transpose(0, 1))
print("same as one by one:", torch.allclose(torch.cat(ref), values.detach(), atol=1e-6))
print(qkv.bias.grad)
