import torch

pixels = torch.tensor([250, 10, 128], dtype=torch.uint8)
print(pixels + 10)                     # wraps around
print(pixels.to(torch.int16) + 10)
a = torch.tensor([7, -7, 7, -7])
b = torch.tensor([2, 2, -2, -2])
print(a // b, torch.div(a, b, rounding_mode="trunc"), a % b, torch.fmod(a, b))
print(a / b)
flags = torch.tensor([True, False, True])
print(flags.sum(), flags.float().mean(), flags + flags, flags * 3)
counts = torch.bincount(torch.tensor([0, 2, 2, 5]))
print(counts, counts.dtype)

w = torch.tensor([0.5, 1.5, 2.5], requires_grad=True)
idx = torch.tensor([2, 0, 0, 1])
scaled = w[idx] * pixels.float()[idx % 3] / 255
loss = scaled.sum() + (w * flags).sum()
loss.backward()
print(scaled, w.grad)
print(torch.iinfo(torch.int8).max, torch.tensor(127, dtype=torch.int8) + 1)
