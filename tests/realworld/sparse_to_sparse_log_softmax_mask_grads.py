# Sparse attention scores: keep only the edges of a graph, softmax over neighbours
torch.manual_seed(2)
scores = torch.randn(4, 4, requires_grad=True)
adj = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 0], [0, 1, 1, 1], [0, 0, 1, 1]], dtype=torch.float32)

masked = scores.sparse_mask(adj.to_sparse())
log_attn = torch.sparse.log_softmax(masked, dim=1)
attn = torch.sparse.softmax(masked, dim=1)
dense_log_attn = log_attn.to_dense()
print(dense_log_attn)

feats = torch.randn(4, 2, requires_grad=True)
out = torch.sparse.mm(attn, feats)
loss = out.pow(2).sum() - (dense_log_attn * adj).sum() * 0.1
loss.backward()
print("scores.grad:\n", scores.grad)
print("feats.grad:\n", feats.grad)

# the same through a dense leaf turned sparse
w = torch.randn(3, 3, requires_grad=True)
w_sp = w.to_sparse()
y = torch.sparse.sum(w_sp * w_sp)
y.backward()
print(torch.allclose(w.grad, 2 * w))
