# Mixture Density Network (Bishop) for an inverse sine problem, with functools.partial
import functools
import math
import torch
import torch.nn as nn
from torch.distributions import Categorical

torch.manual_seed(31)
ONEOVERSQRT2PI = 1.0 / math.sqrt(2 * math.pi)


class MDN(nn.Module):
    def __init__(self, in_features, out_features, num_gaussians):
        super(MDN, self).__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.num_gaussians = num_gaussians
        self.pi = nn.Sequential(nn.Linear(in_features, num_gaussians), nn.Softmax(dim=1))
        self.sigma = nn.Linear(in_features, out_features * num_gaussians)
        self.mu = nn.Linear(in_features, out_features * num_gaussians)

    def forward(self, minibatch):
        pi = self.pi(minibatch)
        sigma = torch.exp(self.sigma(minibatch))
        sigma = sigma.view(-1, self.num_gaussians, self.out_features)
        mu = self.mu(minibatch)
        mu = mu.view(-1, self.num_gaussians, self.out_features)
        return pi, sigma, mu


def gaussian_probability(sigma, mu, target):
    target = target.unsqueeze(1).expand_as(sigma)
    ret = ONEOVERSQRT2PI * torch.exp(-0.5 * ((target - mu) / sigma) ** 2) / sigma
    return torch.prod(ret, 2)


def mdn_loss(pi, sigma, mu, target, eps=0.0):
    prob = pi * gaussian_probability(sigma, mu, target)
    nll = -torch.log(torch.sum(prob, dim=1) + eps)
    return torch.mean(nll)


def sample(pi, sigma, mu):
    pis = Categorical(pi).sample().view(pi.size(0), 1, 1)
    gaussian_noise = torch.randn((sigma.size(2), sigma.size(0)), requires_grad=False)
    variance_samples = sigma.gather(1, pis).detach().squeeze()
    mean_samples = mu.detach().gather(1, pis).squeeze()
    return (gaussian_noise * variance_samples + mean_samples).transpose(0, 1)


model = nn.Sequential(nn.Linear(1, 6), nn.Tanh(), MDN(6, 1, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
y_data = torch.rand(12, 1) * 2 - 1
x_data = torch.sin(2.5 * y_data) + 0.05 * torch.randn_like(y_data)
loss_fn = functools.partial(mdn_loss, eps=1e-8)
for epoch in range(3):
    optimizer.zero_grad()
    pi, sigma, mu = model(x_data)
    loss = loss_fn(pi, sigma, mu, y_data)
    loss.backward()
    optimizer.step()
    print(epoch, "%.4f" % loss.item())

with torch.no_grad():
    pi, sigma, mu = model(x_data[:4])
    samples = sample(pi, sigma, mu)
print(samples.shape, pi.sum(1))
print(model[2].pi[0].bias.grad)
