"""GradNorm (Chen et al., 2018) on a toy two-task regression, written as in a paper reimplementation."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class SharedNet(nn.Module):
    def __init__(self, d_in=4, d_h=8):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(d_in, d_h), nn.Tanh())
        self.heads = nn.ModuleList([nn.Linear(d_h, 1) for _ in range(2)])

    def forward(self, x):
        h = self.trunk(x)
        return [head(h) for head in self.heads]


def main():
    torch.manual_seed(1)
    net = SharedNet()
    task_w = nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    opt_w = torch.optim.Adam([task_w], lr=0.02)
    alpha = 1.5
    x = torch.randn(32, 4)
    ys = [x[:, :1] * 2.0, torch.sin(x[:, 1:2]) * 10.0]
    L0 = None
    last_layer = net.trunk[0].weight
    for it in range(4):
        outs = net(x)
        losses = torch.stack([F.mse_loss(o, y) for o, y in zip(outs, ys)])
        if L0 is None:
            L0 = losses.detach()
        weighted = task_w * losses
        total = weighted.sum()
        opt.zero_grad()
        total.backward(retain_graph=True)
        # gradient norms of each weighted task loss wrt the shared layer
        norms = []
        for i in range(2):
            (gw,) = torch.autograd.grad(weighted[i], last_layer, retain_graph=True, create_graph=True)
            norms.append(gw.norm())
        norms = torch.stack(norms)
        ratio = losses.detach() / L0
        r = ratio / ratio.mean()
        target = (norms.mean() * r**alpha).detach()
        gn_loss = (norms - target).abs().sum()
        task_w.grad = torch.autograd.grad(gn_loss, task_w)[0]
        opt.step()
        opt_w.step()
        with torch.no_grad():
            task_w.data = task_w.data * 2 / task_w.data.sum()
        print(
            f"it={it} losses={losses.detach().numpy().round(3)} w={task_w.data.numpy().round(3)} gn={gn_loss.item():.4f}"
        )
    return net, task_w, losses, norms


if __name__ == "__main__":
    net, task_w, losses, norms = main()
    print(norms)
