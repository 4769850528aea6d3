import functools

torch.manual_seed(64)


@functools.lru_cache(maxsize=None)
def positional(n, d):
    pos = torch.arange(n).unsqueeze(1)
    div = torch.exp(torch.arange(0, d, 2) * (-4.0 / d))
    pe = torch.zeros(n, d)
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)
    return pe


emb = nn.Embedding(10, 4)
tokens = torch.tensor([[1, 2, 3], [4, 5, 6]])
x = emb(tokens) + positional(3, 4)
pe = positional(3, 4)
print(pe is positional(3, 4), positional.cache_info().hits)
loss = x.pow(2).mean()
loss.backward()
print(pe)
print(emb.weight.grad[1:7])
