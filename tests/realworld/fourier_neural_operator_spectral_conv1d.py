# Fourier Neural Operator, 1-D spectral convolution (Li et al. 2020), tiny


class SpectralConv1d(nn.Module):
    def __init__(self, in_channels, out_channels, modes):
        super().__init__()
        self.modes = modes
        scale = 1 / (in_channels * out_channels)
        self.weights = nn.Parameter(scale * torch.rand(in_channels, out_channels, modes, dtype=torch.cfloat))

    def forward(self, x):
        x_ft = torch.fft.rfft(x)
        out_ft = torch.zeros(x.size(0), self.weights.size(1), x.size(-1) // 2 + 1, dtype=torch.cfloat)
        out_ft[:, :, : self.modes] = torch.einsum("bix,iox->box", x_ft[:, :, : self.modes], self.weights)
        return torch.fft.irfft(out_ft, n=x.size(-1))


class FNO1d(nn.Module):
    def __init__(self, modes=3, width=4):
        super().__init__()
        self.lift = nn.Linear(2, width)
        self.conv = SpectralConv1d(width, width, modes)
        self.w = nn.Conv1d(width, width, 1)
        self.proj = nn.Linear(width, 1)

    def forward(self, u, grid):
        x = self.lift(torch.cat([u, grid], dim=-1)).permute(0, 2, 1)
        x = F.gelu(self.conv(x) + self.w(x))
        return self.proj(x.permute(0, 2, 1))


torch.manual_seed(0)
n = 8
grid = torch.linspace(0, 1, n).reshape(1, n, 1).repeat(2, 1, 1)
u0 = torch.sin(2 * torch.pi * grid * torch.tensor([1.0, 2.0]).reshape(2, 1, 1))
target = torch.cos(2 * torch.pi * grid * torch.tensor([1.0, 2.0]).reshape(2, 1, 1))
model = FNO1d()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(3):
    pred = model(u0, grid)
    loss = torch.linalg.vector_norm(pred - target) / torch.linalg.vector_norm(target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step} rel-L2 {loss.item():.5f}")
print(model.conv.weights.grad.dtype, model.conv.weights.grad.shape)
print(model.conv.weights.grad[0, 0])
