# Semi-supervised GCN on Zachary's karate club from networkx: normalised adjacency, two labelled nodes, masked loss
import networkx as nx
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(46)
G = nx.karate_club_graph()
A = torch.from_numpy(nx.to_numpy_array(G, nodelist=sorted(G.nodes()), weight=None)).float()
A_hat = A + torch.eye(A.shape[0])
d_inv_sqrt = A_hat.sum(1).pow(-0.5)
A_norm = d_inv_sqrt[:, None] * A_hat * d_inv_sqrt[None, :]
labels = torch.tensor([0 if G.nodes[n]["club"] == "Mr. Hi" else 1 for n in sorted(G.nodes())])
train_mask = torch.zeros(A.shape[0], dtype=torch.bool)
train_mask[[0, 33]] = True
X = torch.eye(A.shape[0])


class GCN(nn.Module):
    def __init__(self, n_in, n_hid, n_out):
        super().__init__()
        self.l1 = nn.Linear(n_in, n_hid)
        self.l2 = nn.Linear(n_hid, n_out)

    def forward(self, x, adj):
        h = torch.tanh(adj @ self.l1(x))
        return adj @ self.l2(h), h


model = GCN(A.shape[0], 4, 2)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for epoch in range(4):
    logits, hidden = model(X, A_norm)
    loss = F.cross_entropy(logits[train_mask], labels[train_mask])
    opt.zero_grad()
    loss.backward()
    opt.step()
acc = (logits.argmax(1) == labels).float().mean()
print(G.number_of_nodes(), G.number_of_edges(), f"{loss.item():.4f}", f"{acc.item():.3f}")
print(np.round(hidden[:3].detach().numpy(), 3))
