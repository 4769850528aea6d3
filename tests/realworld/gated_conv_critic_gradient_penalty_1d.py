# WGAN-GP on 1-D signals with a gated (GLU) convolutional critic and a linear-upsampling generator


class Generator(nn.Module):
    def __init__(self, z_dim=4):
        super().__init__()
        self.fc = nn.Linear(z_dim, 8 * 4)
        self.conv = nn.Conv1d(8, 1, 3, padding=1)

    def forward(self, z):
        h = self.fc(z).view(-1, 8, 4)
        h = F.interpolate(h, scale_factor=4, mode="linear", align_corners=False)
        return torch.tanh(self.conv(h))


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv1d(4, 8, 3, stride=2, padding=1)
        self.out = nn.Linear(4 * 8, 1)

    def forward(self, x):
        h = F.glu(self.conv1(x), dim=1)
        h = F.glu(self.conv2(h), dim=1)
        h = F.interpolate(h, size=8, mode="nearest")
        return self.out(h.flatten(1))


def gradient_penalty(critic, real, fake):
    eps = torch.rand(real.size(0), 1, 1)
    mixed = (eps * real + (1 - eps) * fake).requires_grad_(True)
    scores = critic(mixed)
    grad, = torch.autograd.grad(scores.sum(), mixed, create_graph=True)
    return ((grad.flatten(1).norm(2, dim=1) - 1) ** 2).mean()


torch.manual_seed(0)
G, D = Generator(), Critic()
opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.0, 0.9))
opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.0, 0.9))
t = torch.linspace(0, 6.28, 16)
real = torch.sin(t + torch.rand(6, 1, 1) * 3)

for it in range(2):
    for _ in range(2):
        fake = G(torch.randn(6, 4)).detach()
        gp = gradient_penalty(D, real, fake)
        d_loss = D(fake).mean() - D(real).mean() + 10 * gp
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
    g_loss = -D(G(torch.randn(6, 4))).mean()
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    print(f"it {it}: d {d_loss.item():+.4f} gp {gp.item():.4f} g {g_loss.item():+.4f}")
