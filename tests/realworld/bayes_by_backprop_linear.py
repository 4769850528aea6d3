class BayesLinear(nn.Module):
    def __init__(self, n_in, n_out, prior_sigma=1.0):
        super().__init__()
        self.w_mu = nn.Parameter(torch.zeros(n_out, n_in).normal_(0, 0.1))
        self.w_rho = nn.Parameter(torch.full((n_out, n_in), -3.0))
        self.b_mu = nn.Parameter(torch.zeros(n_out))
        self.prior_sigma = prior_sigma

    def forward(self, x):
        sigma = F.softplus(self.w_rho)
        eps = torch.randn_like(sigma)
        w = self.w_mu + sigma * eps
        self.kl = (torch.log(self.prior_sigma / sigma) + (sigma ** 2 + self.w_mu ** 2) / (2 * self.prior_sigma ** 2) - 0.5).sum()
        return F.linear(x, w, self.b_mu)


torch.manual_seed(48)
layer = BayesLinear(3, 2)
x = torch.randn(4, 3)
y = torch.randn(4, 2)
opt = torch.optim.Adam(layer.parameters(), lr=0.01)
for epoch in range(3):
    opt.zero_grad()
    samples = [layer(x) for _ in range(2)]
    nll = sum(F.mse_loss(s, y, reduction="sum") for s in samples) / len(samples)
    elbo_loss = nll + layer.kl / x.shape[0]
    elbo_loss.backward()
    opt.step()
    print(f"epoch {epoch}: nll {nll.item():.3f} kl {layer.kl.item():.3f}")
print(layer.w_rho.grad)
