# MAML on a tiny bag-of-embeddings text classifier: the inner step differentiates through the embedding table
torch.manual_seed(0)
VOCAB, DIM, CLASSES = 12, 4, 2


def forward(params, tokens, offsets):
    emb = F.embedding_bag(tokens, params["emb"], offsets, mode="mean")
    hidden = F.glu(emb @ params["w1"] + params["b1"], dim=-1)
    return hidden @ params["w2"] + params["b2"]


def embed_lookup_forward(params, tokens):
    e = F.embedding(tokens, params["emb"])
    return e.mean(1) @ params["w_out"]


params = {
    "emb": (0.3 * torch.randn(VOCAB, DIM)).requires_grad_(),
    "w1": (0.3 * torch.randn(DIM, 2 * DIM)).requires_grad_(),
    "b1": torch.zeros(2 * DIM, requires_grad=True),
    "w2": (0.3 * torch.randn(DIM, CLASSES)).requires_grad_(),
    "b2": torch.zeros(CLASSES, requires_grad=True),
    "w_out": (0.3 * torch.randn(DIM, CLASSES)).requires_grad_(),
}
meta_opt = torch.optim.Adam(params.values(), lr=0.01)
inner_lr = 0.5

support = torch.tensor([1, 2, 3, 4, 5, 6, 7, 8])
offsets = torch.tensor([0, 3, 5])
support_y = torch.tensor([0, 1, 1])
query = torch.tensor([[1, 2], [7, 8], [4, 5]])
query_y = torch.tensor([0, 1, 1])

for step in range(3):
    inner_loss = F.cross_entropy(forward(params, support, offsets), support_y)
    grads = torch.autograd.grad(inner_loss, list(params.values()), create_graph=True, allow_unused=True)
    fast = {k: (p - inner_lr * g if g is not None else p) for (k, p), g in zip(params.items(), grads)}
    outer = F.cross_entropy(embed_lookup_forward(fast, query), query_y)
    outer = outer + F.cross_entropy(forward(fast, support, offsets), support_y)
    meta_opt.zero_grad()
    outer.backward()
    meta_opt.step()
    print(f"step {step}: inner {inner_loss.item():.4f} outer {outer.item():.4f}")
print({k: None if v.grad is None else round(v.grad.norm().item(), 6) for k, v in params.items()})
