# A GAN discriminator with torch.nn.utils.parametrizations.spectral_norm on its layers and a generator with
# parametrizations.weight_norm, one step each; parametrize.cached() for the generator's two calls, the
# original0/original1 tensors printed, and the spectral norm's u vector advancing in train mode.
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import spectral_norm, weight_norm

torch.manual_seed(0)
D = nn.Sequential(spectral_norm(nn.Linear(2, 8)), nn.LeakyReLU(0.2), spectral_norm(nn.Linear(8, 1)))
G = nn.Sequential(weight_norm(nn.Linear(3, 8)), nn.ReLU(), weight_norm(nn.Linear(8, 2)))
opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
real = torch.randn(6, 2) + 2
z = torch.randn(6, 3)
u_before = D[0].parametrizations.weight[0]._u.clone()
with parametrize.cached():
    fake = G(z)
    fake_again = G(z)
d_loss = F.softplus(-D(real)).mean() + F.softplus(D(fake.detach())).mean()
opt_d.zero_grad()
d_loss.backward()
opt_d.step()
g_loss = F.softplus(-D(fake_again)).mean()
opt_g.zero_grad()
g_loss.backward()
opt_g.step()
print(f"d {d_loss.item():.4f} g {g_loss.item():.4f}")
print("u moved:", not torch.equal(u_before, D[0].parametrizations.weight[0]._u))
print(G[0].parametrizations.weight.original0.grad.flatten())
print(sorted(n for n, _ in G.named_parameters()))
print(torch.linalg.matrix_norm(D[2].weight, ord=2).item() <= 1.0001)
