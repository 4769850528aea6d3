import math

torch.manual_seed(62)
X = torch.linspace(0, 1, 6).unsqueeze(1)
y = torch.sin(6 * X).squeeze(1) + 0.1 * torch.randn(6)
log_lengthscale = torch.tensor(-1.0, requires_grad=True)
log_signal = torch.tensor(0.0, requires_grad=True)
log_noise = torch.tensor(-2.0, requires_grad=True)
opt = torch.optim.Adam([log_lengthscale, log_signal, log_noise], lr=0.05)


def rbf(a, b):
    d2 = torch.cdist(a, b).pow(2)
    return log_signal.exp() ** 2 * torch.exp(-0.5 * d2 / log_lengthscale.exp() ** 2)


for it in range(3):
    opt.zero_grad()
    K = rbf(X, X) + log_noise.exp() ** 2 * torch.eye(6)
    L = torch.linalg.cholesky(K)
    alpha = torch.cholesky_solve(y.unsqueeze(1), L)
    nll = 0.5 * (y.unsqueeze(0) @ alpha).squeeze() + L.diagonal().log().sum() + 3 * math.log(2 * math.pi)
    nll.backward()
    opt.step()
    print(f"iter {it}: nll={nll.item():.4f}")
mvn = torch.distributions.MultivariateNormal(torch.zeros(6), scale_tril=L)
lp = mvn.log_prob(y)
print(lp, -nll)
print(log_lengthscale.grad, log_signal.grad, log_noise.grad)
