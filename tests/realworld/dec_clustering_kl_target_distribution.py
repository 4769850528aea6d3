# Deep Embedded Clustering (Xie et al. 2016): Student-t soft assignments, sharpened targets, KL loss


class ClusteringLayer(nn.Module):
    def __init__(self, n_clusters, dim, alpha=1.0):
        super().__init__()
        self.alpha = alpha
        self.centers = nn.Parameter(torch.empty(n_clusters, dim))
        nn.init.xavier_uniform_(self.centers)

    def forward(self, z):
        dist = torch.sum((z.unsqueeze(1) - self.centers) ** 2, dim=2)
        q = 1.0 / (1.0 + dist / self.alpha)
        q = q.pow((self.alpha + 1.0) / 2.0)
        return q / q.sum(dim=1, keepdim=True)


def target_distribution(q):
    weight = q ** 2 / q.sum(0)
    return (weight.t() / weight.sum(1)).t()


torch.manual_seed(0)
encoder = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 2))
cluster = ClusteringLayer(3, 2)
X = torch.cat([torch.randn(6, 5) + 3, torch.randn(6, 5) - 3, torch.randn(6, 5)])
optimizer = torch.optim.SGD(list(encoder.parameters()) + list(cluster.parameters()), lr=0.1, momentum=0.9)

y_pred_last = None
for it in range(6):
    if it % 2 == 0:
        with torch.no_grad():
            p = target_distribution(cluster(encoder(X)))
        y_pred = p.argmax(1)
        if y_pred_last is not None:
            delta = (y_pred != y_pred_last).float().mean().item()
            print(f"iter {it}: label change {delta:.3f}")
            if delta < 0.001:
                print("converged")
                break
        y_pred_last = y_pred
    q = cluster(encoder(X))
    loss = F.kl_div(q.log(), p, reduction="batchmean")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f"iter {it}: kl {loss.item():.6f}")
print(torch.bincount(y_pred_last, minlength=3).tolist())
print(cluster.centers.grad)
