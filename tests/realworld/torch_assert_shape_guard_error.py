def attention_scores(q, k):
    torch._assert(q.shape[-1] == k.shape[-1], "q and k must share the head dimension")
    return q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5


torch.manual_seed(0)
q = torch.randn(2, 4, 8, requires_grad=True)
k = torch.randn(2, 5, 8, requires_grad=True)
scores = attention_scores(q, k)
scores.softmax(-1).max(-1).values.sum().backward()
print(scores.shape, q.grad.abs().sum().item() > 0)
k_bad = torch.randn(2, 5, 6)
scores = attention_scores(q, k_bad)
