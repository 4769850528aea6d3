# Bayes-by-Backprop linear layer with a KL term stored on the module
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(6)


class BayesLinear(nn.Module):
    def __init__(self, in_features, out_features, prior_sigma=1.0):
        super().__init__()
        self.w_mu = nn.Parameter(torch.empty(out_features, in_features).uniform_(-0.2, 0.2))
        self.w_rho = nn.Parameter(torch.full((out_features, in_features), -3.0))
        self.b_mu = nn.Parameter(torch.zeros(out_features))
        self.b_rho = nn.Parameter(torch.full((out_features,), -3.0))
        self.prior_sigma = prior_sigma
        self.kl = 0

    @property
    def w_sigma(self):
        return torch.log1p(torch.exp(self.w_rho))

    @property
    def b_sigma(self):
        return F.softplus(self.b_rho)

    def kl_divergence(self, mu, sigma):
        return (torch.log(self.prior_sigma / sigma) + (sigma ** 2 + mu ** 2) / (2 * self.prior_sigma ** 2) - 0.5).sum()

    def forward(self, x):
        w = self.w_mu + self.w_sigma * torch.randn_like(self.w_sigma)
        b = self.b_mu + self.b_sigma * torch.randn_like(self.b_mu)
        self.kl = self.kl_divergence(self.w_mu, self.w_sigma) + self.kl_divergence(self.b_mu, self.b_sigma)
        return F.linear(x, w, b)


class BNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = BayesLinear(1, 6)
        self.l2 = BayesLinear(6, 1)

    def forward(self, x):
        return self.l2(torch.relu(self.l1(x)))

    def kl_loss(self):
        return sum(m.kl for m in self.modules() if isinstance(m, BayesLinear))


x = torch.linspace(-1, 1, 10).unsqueeze(1)
y = torch.sin(3 * x) + 0.1 * torch.randn_like(x)
net = BNN()
optimizer = torch.optim.Adam(net.parameters(), lr=0.02)
n_samples = 3
for epoch in range(3):
    optimizer.zero_grad()
    nll = 0.
    for _ in range(n_samples):
        pred = net(x)
        nll = nll + F.mse_loss(pred, y, reduction="sum") / n_samples
    kl = net.kl_loss()
    elbo_loss = nll + kl / x.shape[0]
    elbo_loss.backward()
    optimizer.step()
    print(f"epoch {epoch}: nll={nll.item():.3f} kl={kl.item():.3f}")

with torch.no_grad():
    preds = torch.stack([net(x) for _ in range(5)])
    mean, std = preds.mean(0), preds.std(0)
print(mean.squeeze()[:4], std.squeeze()[:4])
print(net.l1.w_sigma)
