torch.manual_seed(21)
img = torch.rand(1, 1, 8, 8, requires_grad=True)
target = torch.rand(1, 1, 8, 8)
F_img = torch.fft.rfft2(img, norm="ortho")
F_tgt = torch.fft.rfft2(target, norm="ortho")
mask = torch.zeros_like(F_img.real)
mask[..., :3, :3] = 1
diff = (F_img - F_tgt) * mask
loss = diff.abs().pow(2).sum() + 0.1 * (torch.angle(F_img[..., 1, 1]) ** 2).sum()
loss.backward()
print(f"loss={loss.item():.5f}")
print(img.grad.shape, img.grad.abs().max().item() > 0)
recon = torch.fft.irfft2(F_img, s=(8, 8), norm="ortho")
print(torch.allclose(recon, img, atol=1e-5))
