import torch
from torch.nn.attention.flex_attention import flex_attention, create_block_mask

torch.manual_seed(0)
B, H, S, D = 1, 2, 16, 8
q = torch.randn(B, H, S, D, requires_grad=True)
k = torch.randn(B, H, S, D, requires_grad=True)
v = torch.randn(B, H, S, D, requires_grad=True)

def relative_bias(score, b, h, q_idx, kv_idx):
    return score + 0.1 * (q_idx - kv_idx)

def causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx

block_mask = create_block_mask(causal, B=None, H=None, Q_LEN=S, KV_LEN=S, device="cpu")
out = flex_attention(q, k, v, score_mod=relative_bias, block_mask=block_mask)
ref_scores = (q @ k.transpose(-2, -1)) / D ** 0.5
i = torch.arange(S)
ref_scores = ref_scores + 0.1 * (i[:, None] - i[None, :])
ref_scores = ref_scores.masked_fill(i[:, None] < i[None, :], float("-inf"))
ref = ref_scores.softmax(-1) @ v
print(torch.allclose(out, ref, atol=1e-5))
out.sum().backward()
print(q.grad.shape, q.grad.abs().sum() > 0)
