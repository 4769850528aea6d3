# DP-SGD by hand: per-example gradients with a python loop, clip, sum, add Gaussian noise
import torch
import torch.nn as nn

torch.manual_seed(2024)

model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
criterion = nn.BCEWithLogitsLoss()
X = torch.randn(6, 3)
y = (X[:, 0] > 0).float().unsqueeze(1)

max_grad_norm = 1.0
noise_multiplier = 0.5
lr = 0.5

for epoch in range(2):
    summed_grads = [torch.zeros_like(p) for p in model.parameters()]
    norms = []
    for i in range(X.shape[0]):
        model.zero_grad()
        out = model(X[i:i + 1])
        loss = criterion(out, y[i:i + 1])
        loss.backward()
        per_sample = [p.grad.detach().clone() for p in model.parameters()]
        total_norm = torch.sqrt(sum(g.pow(2).sum() for g in per_sample))
        norms.append(total_norm.item())
        clip_coef = min(1.0, max_grad_norm / (total_norm.item() + 1e-6))
        for acc, g in zip(summed_grads, per_sample):
            acc.add_(g * clip_coef)
    with torch.no_grad():
        for p, g in zip(model.parameters(), summed_grads):
            noise = torch.normal(0.0, noise_multiplier * max_grad_norm, size=p.shape)
            p.sub_(lr * (g + noise) / X.shape[0])
    print("epoch", epoch, "max per-sample norm", f"{max(norms):.4f}")

with torch.no_grad():
    acc = ((model(X) > 0).float() == y).float().mean()
print("train acc", acc)
