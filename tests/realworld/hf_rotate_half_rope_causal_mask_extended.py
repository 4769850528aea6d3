# A hand-written Hugging-Face-style attention block: rotate_half rotary embeddings, a padding mask turned into an
# additive "extended" mask with finfo.min, a causal mask from torch.triu, and the loss on the non-padded tokens.
import math

torch.manual_seed(0)


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2 :]
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary_pos_emb(q, k, cos, sin):
    q_embed = (q * cos) + (rotate_half(q) * sin)
    k_embed = (k * cos) + (rotate_half(k) * sin)
    return q_embed, k_embed


class RotaryEmbedding(nn.Module):
    def __init__(self, dim, base=10000):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, position_ids):
        freqs = position_ids[:, :, None].float() * self.inv_freq[None, None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos(), emb.sin()


class SelfAttention(nn.Module):
    def __init__(self, hidden=8, heads=2):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.q_proj = nn.Linear(hidden, hidden, bias=False)
        self.k_proj = nn.Linear(hidden, hidden, bias=False)
        self.v_proj = nn.Linear(hidden, hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)
        self.rotary_emb = RotaryEmbedding(self.head_dim)

    def forward(self, hidden_states, attention_mask, position_ids):
        bsz, q_len, _ = hidden_states.size()
        query_states = self.q_proj(hidden_states).view(bsz, q_len, self.heads, self.head_dim).transpose(1, 2)
        key_states = self.k_proj(hidden_states).view(bsz, q_len, self.heads, self.head_dim).transpose(1, 2)
        value_states = self.v_proj(hidden_states).view(bsz, q_len, self.heads, self.head_dim).transpose(1, 2)
        cos, sin = self.rotary_emb(position_ids)
        cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)
        query_states, key_states = apply_rotary_pos_emb(query_states, key_states, cos, sin)
        attn_weights = torch.matmul(query_states, key_states.transpose(2, 3)) / math.sqrt(self.head_dim)
        attn_weights = attn_weights + attention_mask
        attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query_states.dtype)
        attn_output = torch.matmul(attn_weights, value_states)
        attn_output = attn_output.transpose(1, 2).contiguous().reshape(bsz, q_len, -1)
        return self.o_proj(attn_output), attn_weights


def make_mask(padding_mask, dtype):
    bsz, tgt_len = padding_mask.shape
    causal = torch.triu(torch.ones(tgt_len, tgt_len, dtype=torch.bool), diagonal=1)
    expanded = padding_mask[:, None, None, :].to(dtype)
    inverted = 1.0 - expanded
    mask = inverted.masked_fill(inverted.to(torch.bool), torch.finfo(dtype).min)
    return mask.masked_fill(causal, torch.finfo(dtype).min)


attn = SelfAttention()
hidden_states = torch.randn(2, 5, 8)
padding_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
position_ids = torch.arange(5).unsqueeze(0).expand(2, -1)
attention_mask = make_mask(padding_mask, hidden_states.dtype)
out, weights = attn(hidden_states, attention_mask, position_ids)
loss = (out.pow(2).sum(-1) * padding_mask).sum() / padding_mask.sum()
loss.backward()
print("mask row of the padded sample:", (attention_mask[1, 0, 4] == 0).tolist())
print("weights sum to one:", torch.allclose(weights.sum(-1), torch.ones(2, 2, 5)))
print(f"loss {loss.item():.5f}")
print("q_proj grad norm", round(attn.q_proj.weight.grad.norm().item(), 4))
