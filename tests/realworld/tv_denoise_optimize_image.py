# Total-variation denoising: optimise the image itself with Adam (classic blog-post demo)
import torch
import torch.nn.functional as F

torch.manual_seed(8)

clean = torch.zeros(1, 1, 6, 6)
clean[..., 2:5, 1:4] = 1.0
noisy = (clean + 0.3 * torch.randn_like(clean)).clamp(0, 1)

sobel_x = torch.tensor([[-1., 0., 1.], [-2., 0., 2.], [-1., 0., 1.]]).view(1, 1, 3, 3)
sobel_y = sobel_x.transpose(2, 3)


def tv_loss(img, weight):
    bs_img, c_img, h_img, w_img = img.size()
    tv_h = torch.pow(img[:, :, 1:, :] - img[:, :, :-1, :], 2).sum()
    tv_w = torch.pow(img[:, :, :, 1:] - img[:, :, :, :-1], 2).sum()
    return weight * (tv_h + tv_w) / (bs_img * c_img * h_img * w_img)


def edge_energy(img):
    gx = F.conv2d(img, sobel_x, padding=1)
    gy = F.conv2d(img, sobel_y, padding=1)
    return torch.sqrt(gx ** 2 + gy ** 2 + 1e-8).mean()


image = noisy.clone().requires_grad_(True)
optimizer = torch.optim.Adam([image], lr=0.05)
for i in range(4):
    optimizer.zero_grad()
    fidelity = F.mse_loss(image, noisy)
    loss = fidelity + tv_loss(image, 0.5) + 0.01 * edge_energy(image)
    loss.backward()
    optimizer.step()
    with torch.no_grad():
        image.clamp_(0, 1)
    print(f"iter {i}: loss={loss.item():.5f} psnr={10 * torch.log10(1 / F.mse_loss(image, clean)).item():.2f}dB")

print(image.grad.abs().max())
print(image[0, 0, 2])
