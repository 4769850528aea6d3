# GP regression: type-II ML for log-hyperparameters, then a Laplace approximation (Hessian) of their posterior
from torch.autograd.functional import hessian

torch.manual_seed(0)
X = torch.linspace(-2, 2, 8, dtype=torch.float64).unsqueeze(1)
y = torch.sin(2 * X).squeeze(1) + 0.1 * torch.randn(8, dtype=torch.float64)


def neg_log_marginal(theta):
    log_ell, log_sf, log_sn = theta[0], theta[1], theta[2]
    sqdist = (X - X.T) ** 2
    K = log_sf.exp() ** 2 * torch.exp(-0.5 * sqdist / log_ell.exp() ** 2)
    K = K + (log_sn.exp() ** 2 + 1e-6) * torch.eye(len(X), dtype=X.dtype)
    L = torch.linalg.cholesky(K)
    alpha = torch.cholesky_solve(y.unsqueeze(1), L)
    return 0.5 * (y.unsqueeze(1) * alpha).sum() + L.diagonal().log().sum() + 0.5 * len(X) * torch.log(torch.tensor(2 * torch.pi, dtype=X.dtype))


theta = torch.tensor([0.0, 0.0, -1.0], dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([theta], lr=0.5, max_iter=20, line_search_fn="strong_wolfe")


def closure():
    opt.zero_grad()
    loss = neg_log_marginal(theta)
    loss.backward()
    return loss


for outer in range(2):
    nlml = opt.step(closure)
    print(f"round {outer}: nlml {nlml.item():.6f} theta {[round(v, 4) for v in theta.tolist()]}")

H = hessian(neg_log_marginal, theta.detach())
cov = torch.linalg.inv(H)
print("Hessian symmetric:", torch.allclose(H, H.T))
print("posterior std of log-hyperparameters:", cov.diagonal().sqrt())

# the same Hessian by double backward, as a Newton step would
t = theta.detach().clone().requires_grad_()
g, = torch.autograd.grad(neg_log_marginal(t), t, create_graph=True)
rows = [torch.autograd.grad(g[i], t, retain_graph=True)[0] for i in range(3)]
print(torch.allclose(torch.stack(rows), H))
newton = t - torch.linalg.solve(torch.stack(rows), g)
print(newton.detach())
g.pow(2).sum().backward()
print(t.grad)
