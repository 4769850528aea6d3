import torch
import torch.nn as nn
import torch.nn.functional as F


class HyperNet(nn.Module):
    """Produces the weights of a small target MLP from a task embedding."""

    def __init__(self, z_dim, in_dim, hidden):
        super().__init__()
        self.in_dim, self.hidden = in_dim, hidden
        n = in_dim * hidden + hidden + hidden + 1
        self.body = nn.Sequential(nn.Linear(z_dim, 16), nn.ReLU(), nn.Linear(16, n))

    def forward(self, z, x):
        theta = self.body(z)
        i = 0
        w1 = theta[i : i + self.in_dim * self.hidden].view(self.hidden, self.in_dim)
        i += self.in_dim * self.hidden
        b1 = theta[i : i + self.hidden]
        i += self.hidden
        w2 = theta[i : i + self.hidden].view(1, self.hidden)
        b2 = theta[-1:]
        return F.linear(torch.tanh(F.linear(x, w1, b1)), w2, b2)


torch.manual_seed(4)
hyper = HyperNet(z_dim=3, in_dim=2, hidden=4)
task_embeddings = nn.Embedding(2, 3)
opt = torch.optim.Adam(list(hyper.parameters()) + list(task_embeddings.parameters()), lr=1e-2)
xs = torch.randn(2, 5, 2)
ys = torch.stack([xs[0].sum(-1, keepdim=True), -xs[1].sum(-1, keepdim=True)])
for it in range(3):
    opt.zero_grad()
    total = 0.0
    for t in range(2):
        pred = hyper(task_embeddings.weight[t], xs[t])
        task_loss = F.mse_loss(pred, ys[t])
        task_loss.backward()
        total += task_loss.item()
    opt.step()
    print(it, round(total, 5))
print(task_embeddings.weight.grad)
