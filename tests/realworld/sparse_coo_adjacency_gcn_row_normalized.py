# A graph convolution with the adjacency as a sparse COO tensor: self-loops added, rows normalised with
# torch.sparse.sum, torch.sparse.mm into the features; the weights' gradients against the dense computation.
torch.manual_seed(0)
edges = torch.tensor([[0, 1, 1, 2, 3, 0], [1, 0, 2, 1, 0, 3]])
n = 4
loops = torch.arange(n).repeat(2, 1)
index = torch.cat([edges, loops], dim=1)
adj = torch.sparse_coo_tensor(index, torch.ones(index.shape[1]), (n, n)).coalesce()
deg = torch.sparse.sum(adj, dim=1).to_dense()
norm_values = adj.values() / deg[adj.indices()[0]]
adj_norm = torch.sparse_coo_tensor(adj.indices(), norm_values, (n, n))
features = torch.randn(n, 3)
W = nn.Linear(3, 2)
h = torch.sparse.mm(adj_norm, W(features))
loss = h.relu().sum()
loss.backward()
dense = adj_norm.to_dense()
W2 = nn.Linear(3, 2)
W2.load_state_dict(W.state_dict())
(dense @ W2(features)).relu().sum().backward()
print(deg, adj.is_coalesced(), adj_norm.layout)
print("sparse == dense grad:", torch.allclose(W.weight.grad, W2.weight.grad))
print(h)
