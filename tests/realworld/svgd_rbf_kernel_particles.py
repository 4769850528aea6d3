# Stein variational gradient descent: particles moved by the kernelised score, with autograd.grad of log p and of the kernel
import torch
import torch.distributions as D

torch.manual_seed(40)
target = D.MixtureSameFamily(D.Categorical(torch.tensor([0.4, 0.6])), D.Normal(torch.tensor([-2.0, 2.0]), torch.tensor([0.6, 0.8])))
particles = torch.randn(12, 1) * 0.5


def rbf(x):
    d2 = torch.cdist(x, x) ** 2
    h = d2.detach().median() / torch.log(torch.tensor(x.shape[0] + 1.0))
    return torch.exp(-d2 / (h + 1e-8))


for it in range(5):
    x = particles.detach().requires_grad_(True)
    logp = target.log_prob(x.squeeze(1)).sum()
    score = torch.autograd.grad(logp, x)[0]
    K = rbf(x)
    grad_K = -torch.autograd.grad(K.sum(), x)[0]
    phi = (K.detach() @ score + grad_K) / x.shape[0]
    particles = particles + 0.5 * phi
    print(it, round(particles.mean().item(), 4), round(particles.std().item(), 4))
print(particles.squeeze(1).sort().values)
