# LLaMA's rotary embedding in complex form: freqs_cis from torch.polar, q and k viewed as complex pairs with
# view_as_complex, multiplied, viewed back with view_as_real and flattened; the gradient through the complex ops.
torch.manual_seed(0)


def precompute_freqs_cis(dim, end, theta=10000.0):
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 2)[: dim // 2].float() / dim))
    t = torch.arange(end)
    freqs = torch.outer(t, freqs).float()
    return torch.polar(torch.ones_like(freqs), freqs)


def apply_rotary_emb(xq, xk, freqs_cis):
    xq_ = torch.view_as_complex(xq.float().reshape(*xq.shape[:-1], -1, 2))
    xk_ = torch.view_as_complex(xk.float().reshape(*xk.shape[:-1], -1, 2))
    freqs_cis = freqs_cis.view(1, xq_.shape[1], 1, xq_.shape[-1])
    xq_out = torch.view_as_real(xq_ * freqs_cis).flatten(3)
    xk_out = torch.view_as_real(xk_ * freqs_cis).flatten(3)
    return xq_out.type_as(xq), xk_out.type_as(xk)


bsz, seqlen, n_heads, head_dim = 1, 4, 2, 6
wq = nn.Linear(12, n_heads * head_dim, bias=False)
wk = nn.Linear(12, n_heads * head_dim, bias=False)
x = torch.randn(bsz, seqlen, 12)
freqs_cis = precompute_freqs_cis(head_dim, seqlen)
xq = wq(x).view(bsz, seqlen, n_heads, head_dim)
xk = wk(x).view(bsz, seqlen, n_heads, head_dim)
xq, xk = apply_rotary_emb(xq, xk, freqs_cis)
scores = torch.einsum("bqhd,bkhd->bhqk", xq, xk) / head_dim**0.5
loss = scores.softmax(-1).max(-1).values.sum()
loss.backward()
print(freqs_cis.dtype, freqs_cis.shape, xq.shape)
print(f"{loss.item():.5f}")
print(wq.weight.grad.norm().item() > 0, wk.weight.grad.abs().sum().item() > 0)
