torch.manual_seed(21)

class VAE(nn.Module):
    def __init__(self, d=6, z=2):
        super().__init__()
        self.enc = nn.Linear(d, 2 * z)
        self.dec = nn.Linear(z, d)

    def forward(self, x):
        mu, logvar = self.enc(x).chunk(2, dim=-1)
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        z = mu + eps * std
        return self.dec(z), mu, logvar

vae = VAE()
opt = torch.optim.Adam(vae.parameters(), lr=1e-3)
batch = torch.rand(5, 6)
recon, mu, logvar = vae(batch)
rec_loss = F.binary_cross_entropy_with_logits(recon, batch, reduction="sum")
kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
loss = (rec_loss + kld) / batch.size(0)
opt.zero_grad()
loss.backward()
opt.step()
print(f"rec={rec_loss.item():.3f} kld={kld.item():.3f}")
