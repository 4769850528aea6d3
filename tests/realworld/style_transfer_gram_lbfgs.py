import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
features = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1))
for p in features.parameters():
    p.requires_grad_(False)

def gram(feat):
    b, c, h, w = feat.shape
    f = feat.view(b, c, h * w)
    return f @ f.transpose(1, 2) / (c * h * w)

content = torch.rand(1, 3, 8, 8)
style = torch.rand(1, 3, 8, 8)
target_content = features(content).detach()
target_gram = gram(features(style)).detach()

image = content.clone().requires_grad_(True)
optimizer = torch.optim.LBFGS([image], max_iter=4)
run = [0]

def closure():
    optimizer.zero_grad()
    feat = features(image)
    c_loss = F.mse_loss(feat, target_content)
    s_loss = F.mse_loss(gram(feat), target_gram)
    loss = c_loss + 1000 * s_loss
    loss.backward()
    run[0] += 1
    return loss

for step in range(2):
    loss = optimizer.step(closure)
    with torch.no_grad():
        image.clamp_(0, 1)
    print(f"step {step}: loss={loss.item():.5f} evals={run[0]}")
