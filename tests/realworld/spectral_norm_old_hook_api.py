from torch.nn.utils import spectral_norm, remove_spectral_norm

torch.manual_seed(8)
disc = nn.Sequential(
    spectral_norm(nn.Linear(4, 8)),
    nn.LeakyReLU(0.2),
    spectral_norm(nn.Linear(8, 1)),
)
x = torch.randn(5, 4)
for i in range(2):
    out = disc(x)
    loss = F.softplus(-out).mean()
    disc.zero_grad()
    loss.backward()
    print(i, round(loss.item(), 5))
print(sorted(name for name, _ in disc.named_parameters()))
print(disc[0].weight_orig.grad.shape, disc[0].weight_u.shape)
sigma = torch.linalg.matrix_norm(disc[0].weight.detach(), ord=2)
print(f"sigma ~ 1: {sigma.item():.3f}")
remove_spectral_norm(disc[2])
print([n for n, _ in disc[2].named_parameters()])
