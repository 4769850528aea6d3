import torch
import torch.nn as nn

torch.manual_seed(0)


class GaussianHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(1, 16), nn.Softplus())
        self.mean = nn.Linear(16, 1)
        self.log_var = nn.Linear(16, 1)

    def forward(self, x):
        h = self.body(x)
        return self.mean(h), self.log_var(h).exp()


x = torch.linspace(-2, 2, 12).unsqueeze(1)
y = x.pow(3) + 0.3 * torch.randn_like(x)
members = [GaussianHead() for _ in range(3)]
crit = nn.GaussianNLLLoss(full=True, eps=1e-6)
for i, m in enumerate(members):
    opt = torch.optim.Adam(m.parameters(), lr=0.01)
    for _ in range(5):
        mu, var = m(x)
        loss = crit(mu, y, var)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"member {i}: nll={loss.item():.4f}")
with torch.no_grad():
    mus, vars_ = zip(*(m(x) for m in members))
    mu_star = torch.stack(mus).mean(0)
    var_star = (torch.stack(vars_) + torch.stack(mus).pow(2)).mean(0) - mu_star.pow(2)
print(mu_star.squeeze()[:4], var_star.squeeze()[:4])

counts = torch.poisson(torch.full((8,), 3.0))
rate_log = torch.zeros(8, requires_grad=True)
pnll = nn.PoissonNLLLoss(log_input=True, full=True)(rate_log, counts)
pnll.backward()
print(counts, pnll.item(), rate_log.grad)
