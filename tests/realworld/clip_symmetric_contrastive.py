import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)
image_encoder = nn.Linear(10, 5)
text_encoder = nn.Linear(8, 5)
logit_scale = nn.Parameter(torch.ones([]) * np.log(1 / 0.07))

images = torch.randn(4, 10)
texts = torch.randn(4, 8)
image_features = F.normalize(image_encoder(images), dim=-1)
text_features = F.normalize(text_encoder(texts), dim=-1)
logits_per_image = logit_scale.exp() * image_features @ text_features.t()
logits_per_text = logits_per_image.t()
labels = torch.arange(len(images))
loss = (F.cross_entropy(logits_per_image, labels) + F.cross_entropy(logits_per_text, labels)) / 2
loss.backward()
print(f"loss={loss.item():.4f} scale={logit_scale.exp().item():.3f}")
print("logit_scale grad", logit_scale.grad)
with torch.no_grad():
    logit_scale.clamp_(0, np.log(100))
acc = (logits_per_image.argmax(dim=1) == labels).float().mean()
print(acc)
