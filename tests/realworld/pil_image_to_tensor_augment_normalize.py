# An image made with PIL, turned into a normalised tensor by hand (no torchvision), flipped and cropped, through a conv
import numpy as np
import torch
import torch.nn as nn
from PIL import Image, ImageDraw

img = Image.new("RGB", (12, 10), color=(30, 60, 90))
draw = ImageDraw.Draw(img)
draw.rectangle([2, 2, 7, 6], fill=(200, 40, 40))
arr = np.asarray(img, dtype=np.float32) / 255.0
x = torch.from_numpy(arr).permute(2, 0, 1).contiguous()
mean = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
x = (x - mean) / std
flipped = torch.flip(x, dims=[2])
crop = flipped[:, 1:9, 2:10].unsqueeze(0)
print(img.size, x.shape, crop.shape, round(x.mean().item(), 4))
torch.manual_seed(47)
conv = nn.Conv2d(3, 2, 3)
feat = conv(crop)
loss = feat.abs().mean()
loss.backward()
print(conv.weight.grad.shape, conv.bias.grad)
back = ((crop[0] * std + mean).clamp(0, 1) * 255).round().byte().permute(1, 2, 0).numpy()
print(Image.fromarray(back).getpixel((0, 0)))
