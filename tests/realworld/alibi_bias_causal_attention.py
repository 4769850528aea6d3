# ALiBi (attention with linear biases, as BLOOM and MPT write it): per-head slopes from a geometric series, a bias
# of -slope * distance added to causal scores, no position embeddings; a language-model step on it.
import math

torch.manual_seed(0)


def get_slopes(n_heads):
    start = 2 ** (-(2 ** -(math.log2(n_heads) - 3)))
    return torch.tensor([start * start**i for i in range(n_heads)])


class AlibiAttention(nn.Module):
    def __init__(self, dim=8, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.register_buffer("slopes", get_slopes(heads))

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        pos = torch.arange(T)
        distance = (pos[None, :] - pos[:, None]).clamp(max=0)
        bias = self.slopes[:, None, None] * distance[None]
        scores = q @ k.transpose(-1, -2) / math.sqrt(C // self.heads) + bias
        scores = scores.masked_fill(pos[None, :] > pos[:, None], float("-inf"))
        att = scores.softmax(-1)
        return self.out((att @ v).transpose(1, 2).reshape(B, T, C)), att


emb = nn.Embedding(12, 8)
block = AlibiAttention()
head = nn.Linear(8, 12)
tokens = torch.randint(0, 12, (2, 6))
hidden, att = block(emb(tokens[:, :-1]))
logits = head(hidden)
loss = F.cross_entropy(logits.flatten(0, 1), tokens[:, 1:].flatten())
loss.backward()
print(block.slopes)
print(att[0, 0])
print(f"{loss.item():.4f}", emb.weight.grad.norm(dim=1).gt(0).sum().item())
