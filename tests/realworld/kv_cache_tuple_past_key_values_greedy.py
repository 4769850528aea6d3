# Greedy decoding with a cache of past keys and values as a tuple of (k, v) per layer, the way HF models return
# `past_key_values`: the cached decoding must give the same logits as running the whole prefix again.
torch.manual_seed(1)
vocab, dim = 11, 8


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, past=None):
        q, k, v = self.qkv(self.norm(x)).chunk(3, dim=-1)
        if past is not None:
            k = torch.cat([past[0], k], dim=1)
            v = torch.cat([past[1], v], dim=1)
        T, S = q.shape[1], k.shape[1]
        scores = q @ k.transpose(-2, -1) / dim**0.5
        causal = torch.ones(T, S, dtype=torch.bool).tril(diagonal=S - T)
        scores = scores.masked_fill(~causal, float("-inf"))
        return x + self.proj(scores.softmax(-1) @ v), (k, v)


class TinyLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(vocab, dim)
        self.wpe = nn.Embedding(16, dim)
        self.layers = nn.ModuleList([Layer(), Layer()])
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids, past_key_values=None, start=0):
        pos = torch.arange(start, start + ids.shape[1])
        x = self.wte(ids) + self.wpe(pos)
        new_past = []
        for i, layer in enumerate(self.layers):
            x, kv = layer(x, None if past_key_values is None else past_key_values[i])
            new_past.append(kv)
        return self.head(x), tuple(new_past)


model = TinyLM().eval()
prompt = torch.tensor([[3, 7, 1]])
with torch.no_grad():
    logits, past_key_values = model(prompt)
    generated = prompt
    for step in range(4):
        next_id = logits[:, -1].argmax(-1, keepdim=True)
        generated = torch.cat([generated, next_id], dim=1)
        logits, past_key_values = model(next_id, past_key_values, start=generated.shape[1] - 1)
    full_logits, _ = model(generated)
print("generated:", generated.tolist())
print("cache length:", past_key_values[0][0].shape[1])
print("cached == full:", torch.allclose(logits[:, -1], full_logits[:, -1], atol=1e-5))

model.train()
logits, _ = model(generated[:, :-1])
loss = F.cross_entropy(logits.reshape(-1, vocab), generated[:, 1:].reshape(-1))
loss.backward()
print(f"{loss.item():.4f}", model.wte.weight.grad.abs().sum(1).nonzero().flatten().tolist())
