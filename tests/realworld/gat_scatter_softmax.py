# Graph attention layer (GAT) with edge_index, written with scatter/index_add only
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(4)


def scatter_softmax(src, index, num_nodes):
    max_per_node = torch.full((num_nodes,), float("-inf")).scatter_reduce(0, index, src, reduce="amax", include_self=True)
    out = (src - max_per_node[index]).exp()
    denom = torch.zeros(num_nodes).index_add_(0, index, out)
    return out / (denom[index] + 1e-16)


class GATLayer(nn.Module):
    def __init__(self, in_dim, out_dim):
        super().__init__()
        self.W = nn.Linear(in_dim, out_dim, bias=False)
        self.att_src = nn.Parameter(torch.randn(out_dim) * 0.3)
        self.att_dst = nn.Parameter(torch.randn(out_dim) * 0.3)

    def forward(self, x, edge_index):
        src, dst = edge_index
        h = self.W(x)
        alpha_src = (h * self.att_src).sum(-1)
        alpha_dst = (h * self.att_dst).sum(-1)
        e = F.leaky_relu(alpha_src[src] + alpha_dst[dst], 0.2)
        alpha = scatter_softmax(e, dst, x.size(0))
        msg = h[src] * alpha.unsqueeze(-1)
        out = torch.zeros_like(h).index_add(0, dst, msg)
        self.last_alpha = alpha.detach()
        return out


edge_index = torch.tensor([[0, 1, 2, 3, 0, 2, 4, 4],
                           [1, 0, 1, 2, 3, 4, 2, 0]])
self_loops = torch.arange(5).repeat(2, 1)
edge_index = torch.cat([edge_index, self_loops], dim=1)
x = torch.randn(5, 3)
labels = torch.tensor([0, 1, 0, 1, 1])

layer1 = GATLayer(3, 4)
layer2 = GATLayer(4, 2)
opt = torch.optim.Adam(list(layer1.parameters()) + list(layer2.parameters()), lr=0.05)
for epoch in range(3):
    opt.zero_grad()
    h = F.elu(layer1(x, edge_index))
    logits = layer2(h, edge_index)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    opt.step()
    print(epoch, f"{loss:.4f}")
print(layer1.last_alpha.view(-1)[:6])
deg = torch.bincount(edge_index[1], minlength=5)
print(deg, layer2.att_src.grad)
