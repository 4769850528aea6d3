import math
import torch

torch.manual_seed(4)
n = 64
t = torch.arange(n) / n
freq = torch.tensor(5.0, requires_grad=True)
signal = torch.sin(2 * math.pi * freq * t) + 0.1 * torch.randn(n)
win = torch.signal.windows.hann(16, sym=False)
print(torch.allclose(win, torch.hann_window(16)))
spec = torch.stft(signal, n_fft=16, hop_length=8, window=win, return_complex=True)
power = spec.abs().pow(2)
band = power[4:7].sum() / power.sum()
band.backward()
print(spec.shape, f"band energy {band.item():.4f}", f"d/dfreq {freq.grad.item():.4f}")
gauss = torch.signal.windows.gaussian(8, std=1.5)
print(gauss)
