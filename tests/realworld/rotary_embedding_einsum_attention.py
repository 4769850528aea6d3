torch.manual_seed(155)
B, T, H, D = 2, 5, 2, 4
q = torch.randn(B, T, H, D, requires_grad=True)
k = torch.randn(B, T, H, D, requires_grad=True)
v = torch.randn(B, T, H, D, requires_grad=True)
inv_freq = 1.0 / (10000 ** (torch.arange(0, D, 2).float() / D))
freqs = torch.einsum("t,f->tf", torch.arange(T).float(), inv_freq)
cos, sin = freqs.cos()[None, :, None, :], freqs.sin()[None, :, None, :]


def rotate(x):
    x1, x2 = x[..., ::2], x[..., 1::2]
    return torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1).flatten(-2)


qr, kr = rotate(q), rotate(k)
scores = torch.einsum("bqhd,bkhd->bhqk", qr, kr) / D ** 0.5
causal = torch.ones(T, T, dtype=torch.bool).tril()
scores = scores.masked_fill(~causal, float("-inf"))
probs = scores.softmax(dim=-1)
ctx = torch.einsum("bhqk,bkhd->bqhd", probs, v)
loss = ctx.square().mean()
loss.backward()
print(probs[0, 0])
print(q.grad[0, 0], k.grad[1, -1], v.grad.sum())
