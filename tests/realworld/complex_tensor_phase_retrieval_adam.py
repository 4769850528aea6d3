# Phase retrieval with a complex leaf: fit a complex vector whose FFT magnitudes match the targets, with Adam on the
# complex parameter (torch steps complex parameters as pairs of reals); the gradient is the conjugate Wirtinger one.
torch.manual_seed(0)
true_signal = torch.randn(8, dtype=torch.cfloat)
target_mag = torch.fft.fft(true_signal).abs()
z = torch.randn(8, dtype=torch.cfloat, requires_grad=True)
opt = torch.optim.Adam([z], lr=0.05)
for it in range(5):
    opt.zero_grad()
    spectrum = torch.fft.fft(z)
    loss = (spectrum.abs() - target_mag).pow(2).mean()
    loss.backward()
    opt.step()
    print(it, f"{loss.item():.4f}", z.grad.dtype)
print(z.grad)
print(torch.view_as_real(z).shape, z.angle().dtype)
