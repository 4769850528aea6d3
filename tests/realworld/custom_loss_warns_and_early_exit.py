import warnings

import torch
import torch.nn as nn


def show(message, category, filename, lineno, file=None, line=None):
    print(f"[{category.__name__}] {message}")


warnings.showwarning = show
warnings.simplefilter("always")


def bounded_mse(pred, target, max_target=10.0):
    if (target.abs() > max_target).any():
        warnings.warn(f"{int((target.abs() > max_target).sum())} targets exceed {max_target}; clipping", RuntimeWarning)
        target = target.clamp(-max_target, max_target)
    return nn.functional.mse_loss(pred, target)


torch.manual_seed(1)
model = nn.Linear(1, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
X = torch.linspace(-2, 2, 16).unsqueeze(1)
Y = 6 * X + 1
Y[3] = 40.0
for step in range(200):
    opt.zero_grad()
    loss = bounded_mse(model(X), Y)
    loss.backward()
    opt.step()
    if step == 0:
        warnings.simplefilter("ignore")
    if loss.item() < 0.5:
        print(f"converged at step {step}")
        break
else:
    print("did not converge")
mismatch = nn.functional.mse_loss(model(X), Y.squeeze())
print(f"w={model.weight.item():.3f} b={model.bias.item():.3f} loss={loss.item():.4f}")
print(mismatch.shape)
