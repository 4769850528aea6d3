import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(11)

# two blobs of 6-d "images" in [0, 1]
centers = torch.rand(2, 6)
x_all = (centers[torch.randint(0, 2, (40,))] + 0.1 * torch.randn(40, 6)).clamp(0, 1)
loader = DataLoader(TensorDataset(x_all), batch_size=10, shuffle=True)


class VAE(nn.Module):
    def __init__(self, in_dim=6, hidden=8, latent=2):
        super().__init__()
        self.fc1 = nn.Linear(in_dim, hidden)
        self.fc_mu = nn.Linear(hidden, latent)
        self.fc_logvar = nn.Linear(hidden, latent)
        self.fc3 = nn.Linear(latent, hidden)
        self.fc4 = nn.Linear(hidden, in_dim)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc_mu(h1), self.fc_logvar(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x)
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar, beta=1.0):
    bce = F.binary_cross_entropy(recon_x, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + beta * kld, bce, kld


model = VAE()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(1, 5):
    model.train()
    train_loss = recon_total = kld_total = 0.0
    beta = min(1.0, epoch / 3)  # KL annealing
    for batch_idx, (data,) in enumerate(loader):
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data)
        loss, bce, kld = loss_function(recon_batch, data, mu, logvar, beta)
        loss.backward()
        train_loss += loss.item()
        recon_total += bce.item()
        kld_total += kld.item()
        optimizer.step()
    n = len(loader.dataset)
    print(
        "====> Epoch: {} beta={:.2f} Average loss: {:.4f} (recon {:.4f}, kl {:.4f})".format(
            epoch, beta, train_loss / n, recon_total / n, kld_total / n
        )
    )

# a plain autoencoder trained alongside with a separate optimizer, plus a latent-consistency loss
ae = nn.Sequential(nn.Linear(6, 3), nn.Tanh(), nn.Linear(3, 6), nn.Sigmoid())
ae_opt = torch.optim.SGD(ae.parameters(), lr=0.5, momentum=0.9)
for it in range(5):
    recon_ae = ae(x_all)
    rec_loss = F.mse_loss(recon_ae, x_all)
    with torch.no_grad():
        target_mu, _ = model.encode(x_all)
    code = ae[1](ae[0](x_all))
    cons_loss = F.mse_loss(code[:, :2], target_mu)
    total = rec_loss + 0.1 * cons_loss
    ae_opt.zero_grad()
    total.backward()
    ae_opt.step()
print(f"ae: rec {rec_loss.item():.4f} cons {cons_loss.item():.4f}")

model.eval()
with torch.no_grad():
    z = torch.randn(3, 2)
    samples = model.decode(z)
print(samples.shape, bool(((samples >= 0) & (samples <= 1)).all()))
