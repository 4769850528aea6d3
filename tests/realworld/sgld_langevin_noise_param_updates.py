# Stochastic gradient Langevin dynamics for Bayesian linear regression: each step adds Gaussian noise to the
# parameters in place, samples kept with clone() after a burn-in.
torch.manual_seed(0)
X = torch.randn(20, 2)
y = X @ torch.tensor([1.0, -1.0]) + 0.1 * torch.randn(20)
w = torch.zeros(2, requires_grad=True)
lr, n = 0.01, len(X)
samples = []
for t in range(30):
    nll = 0.5 * ((X @ w - y) ** 2).sum()
    prior = 0.5 * (w**2).sum()
    (nll + prior).backward()
    with torch.no_grad():
        w.add_(-0.5 * lr * w.grad + torch.randn(2) * lr**0.5)
    w.grad.zero_()
    if t >= 20:
        samples.append(w.detach().clone())
posterior_mean = torch.stack(samples).mean(0)
print(posterior_mean, torch.stack(samples).std(0))
final_nll = 0.5 * ((X @ w - y) ** 2).mean()
final_nll.backward()
print(w.grad)
