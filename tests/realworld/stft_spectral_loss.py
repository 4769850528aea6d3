torch.manual_seed(77)
n = 64
t = torch.arange(n) / n
target = torch.sin(2 * torch.pi * 5 * t)
signal = (0.1 * torch.randn(n)).requires_grad_()
window = torch.hann_window(16)


def spec(s):
    return torch.stft(s, n_fft=16, hop_length=8, window=window, return_complex=True)


S, T = spec(signal), spec(target)
mag_loss = (S.abs() - T.abs()).pow(2).mean()
log_loss = F.l1_loss(torch.log(S.abs() + 1e-5), torch.log(T.abs() + 1e-5))
loss = mag_loss + 0.1 * log_loss
loss.backward()
print(S.shape, S.dtype)
print(f"{mag_loss.item():.5f} {log_loss.item():.5f}")
print(signal.grad[:8])
recon = torch.istft(S, n_fft=16, hop_length=8, window=window, length=n)
print(torch.allclose(recon, signal, atol=1e-5))
