# A VAE's KL term three ways: torch.distributions.kl_divergence of two Independent Normals, the per-dimension
# kl_divergence summed, and the closed form written out; the ELBO's gradient through rsample.
from torch.distributions import Independent, Normal, kl_divergence

torch.manual_seed(0)
encoder = nn.Linear(6, 4)
decoder = nn.Linear(2, 6)
x = torch.rand(3, 6)
mu, logvar = encoder(x).chunk(2, dim=-1)
std = torch.exp(0.5 * logvar)
q = Independent(Normal(mu, std), 1)
p = Independent(Normal(torch.zeros_like(mu), torch.ones_like(std)), 1)
kl = kl_divergence(q, p)
kl_per_dim = kl_divergence(Normal(mu, std), Normal(0.0, 1.0)).sum(-1)
kl_closed = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=-1)
z = q.rsample()
recon = torch.sigmoid(decoder(z))
recon_loss = F.binary_cross_entropy(recon, x, reduction="none").sum(-1)
elbo_loss = (recon_loss + kl).mean()
elbo_loss.backward()
print(q.batch_shape, q.event_shape, z.shape)
print("kl agree:", torch.allclose(kl, kl_per_dim), torch.allclose(kl, kl_closed, atol=1e-6))
print(f"loss {elbo_loss.item():.4f}")
print(encoder.weight.grad.shape, decoder.bias.grad)
