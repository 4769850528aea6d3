# Message passing (MPNN-style) with an edge network, scatter_reduce mean/amax and index_add_ on a fresh buffer
import torch
import torch.nn as nn

torch.manual_seed(10)
num_nodes, feat = 5, 3
edge_index = torch.tensor([[0, 1, 1, 2, 3, 4, 4], [1, 0, 2, 3, 4, 0, 2]])
edge_attr = torch.rand(edge_index.size(1), 2)
x = torch.randn(num_nodes, feat)


class EdgeConv(nn.Module):
    def __init__(self, d, e):
        super().__init__()
        self.edge_mlp = nn.Linear(e, d * d)
        self.root = nn.Linear(d, d)
        self.d = d

    def forward(self, x, edge_index, edge_attr):
        src, dst = edge_index
        W = self.edge_mlp(edge_attr).view(-1, self.d, self.d)
        msg = torch.bmm(x[src].unsqueeze(1), W).squeeze(1)
        agg = torch.zeros_like(x)
        agg.index_add_(0, dst, msg)
        deg = torch.zeros(x.size(0)).index_add_(0, dst, torch.ones(dst.numel())).clamp(min=1)
        mean = agg / deg.unsqueeze(1)
        mx = x.new_full(x.shape, -1e9).scatter_reduce(0, dst.unsqueeze(1).expand_as(msg), msg, "amax", include_self=False)
        mx = torch.where(mx < -1e8, torch.zeros_like(mx), mx)
        return torch.relu(self.root(x) + mean + mx)


conv = EdgeConv(feat, 2)
readout = nn.Linear(feat, 1)
h = conv(x, edge_index, edge_attr)
pooled = torch.zeros(2, feat).scatter_reduce(0, torch.tensor([0, 0, 1, 1, 1]).unsqueeze(1).expand(-1, feat), h, "mean")
pred = readout(pooled).squeeze(1)
loss = (pred - torch.tensor([1.0, -1.0])).pow(2).sum()
loss.backward()
print(pred)
print(conv.edge_mlp.weight.grad.abs().sum(), conv.root.bias.grad)
