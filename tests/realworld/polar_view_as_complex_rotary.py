import torch

def precompute_freqs_cis(dim, end, theta=10000.0):
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 2)[: dim // 2].float() / dim))
    t = torch.arange(end)
    freqs = torch.outer(t, freqs).float()
    return torch.polar(torch.ones_like(freqs), freqs)

def apply_rotary(x, freqs_cis):
    x_ = torch.view_as_complex(x.float().reshape(*x.shape[:-1], -1, 2))
    out = torch.view_as_real(x_ * freqs_cis).flatten(-2)
    return out.type_as(x)

torch.manual_seed(0)
freqs = precompute_freqs_cis(4, 3)
q = torch.randn(2, 3, 4, requires_grad=True)
q_rot = apply_rotary(q, freqs)
loss = (q_rot[:, 1:] * q_rot[:, :-1]).sum()
loss.backward()
print(freqs.dtype, q_rot.shape)
print(torch.allclose(q_rot.norm(dim=-1), q.norm(dim=-1), atol=1e-5))
print(q.grad[0])
