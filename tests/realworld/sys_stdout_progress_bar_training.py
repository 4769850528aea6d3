import sys
import torch
import torch.nn as nn


def progress(i, total, loss, width=20):
    done = int(width * (i + 1) / total)
    sys.stdout.write("\r[" + "#" * done + "." * (width - done) + f"] {i + 1}/{total} loss={loss:.4f}")
    sys.stdout.flush()
    if i + 1 == total:
        sys.stdout.write("\n")


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.05)
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
steps = 12
for i in range(steps):
    opt.zero_grad()
    loss = nn.BCEWithLogitsLoss()(model(X), Y)
    loss.backward()
    opt.step()
    progress(i, steps, loss.item())
print(file=sys.stdout)
sys.stdout.writelines([f"{name:10s} {p.grad.norm():.4f}\n" for name, p in model.named_parameters()])
print("preds:", torch.sigmoid(model(X)).detach().squeeze().round(decimals=3))
