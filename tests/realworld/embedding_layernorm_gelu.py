torch.manual_seed(5)
vocab, dim = 12, 6
tok = nn.Embedding(vocab, dim, padding_idx=0)
pos = nn.Parameter(torch.zeros(1, 4, dim))
norm = nn.LayerNorm(dim)
ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(approximate="tanh"), nn.Linear(4 * dim, dim))
ids = torch.tensor([[3, 7, 0, 0], [1, 2, 11, 5]])
h = tok(ids) + pos
h = h + ff(norm(h))
pooled = h.mean(dim=1)
loss = pooled.pow(2).sum()
loss.backward()
print(tok.weight.grad[0].abs().sum().item(), pos.grad.shape)
print(norm.weight.grad)
