# nn.Embedding(max_norm=...) renormalises the rows it looks up in place, inside forward, before the lookup: the
# weight printed after a forward is no longer the one initialised, and its gradient goes only to the rows used.
torch.manual_seed(0)
emb = nn.Embedding(6, 3, max_norm=1.0)
before = emb.weight.detach().clone()
print("row norms before:", before.norm(dim=1))
ids = torch.tensor([[0, 2, 2], [5, 0, 1]])
vectors = emb(ids)
print("row norms after: ", emb.weight.detach().norm(dim=1))
loss = vectors.sum(1).pow(2).mean()
loss.backward()
print("rows changed:", (emb.weight.detach() != before).any(1).tolist())
print("rows with grad:", emb.weight.grad.abs().sum(1).ne(0).tolist())
print(emb.weight.grad)
