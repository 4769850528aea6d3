import torch

# Global mean pooling over a batch of graphs, the way PyG's scatter does it, by hand.
torch.manual_seed(16)
x = torch.randn(7, 3, requires_grad=True)  # node features of 3 graphs
batch = torch.tensor([0, 0, 0, 1, 1, 2, 2])
num_graphs = int(batch.max()) + 1
sums = torch.zeros(num_graphs, x.size(1)).scatter_add_(0, batch.unsqueeze(-1).expand_as(x), x)
counts = torch.bincount(batch, minlength=num_graphs).clamp(min=1).unsqueeze(-1)
mean_pool = sums / counts
max_pool = torch.full((num_graphs, x.size(1)), float("-inf")).scatter_reduce(
    0, batch.unsqueeze(-1).expand_as(x), x, reduce="amax", include_self=False
)
readout = torch.cat([mean_pool, max_pool], dim=1)
graph_logits = readout @ torch.ones(6, 1)
graph_logits.sum().backward()
print(mean_pool)
print(x.grad)
