import sys
import time

import torch
import torch.nn as nn

torch.manual_seed(23)
torch.set_printoptions(precision=3, sci_mode=False, linewidth=100)

model = nn.Sequential(nn.Linear(4, 5), nn.Softplus(), nn.Linear(5, 2))
x = torch.randn(10, 4)
y = torch.randn(10, 2)
opt = torch.optim.Adagrad(model.parameters(), lr=0.1)
n_steps = 12
start = time.time()
losses = []
for i in range(n_steps):
    opt.zero_grad()
    out = model(x)
    loss = ((out - y) ** 2).mean()
    loss.backward()
    opt.step()
    losses.append(loss.detach())
    done = int(20 * (i + 1) / n_steps)
    bar = "#" * done + "-" * (20 - done)
    sys.stdout.write(f"\r[{bar}] {i + 1:>3}/{n_steps} loss={loss.item():.4f}")
    sys.stdout.flush()
elapsed = time.time() - start
print()
print("done in", "<1s" if elapsed < 1 else ">=1s")

loss_curve = torch.stack(losses)
print("loss curve:", loss_curve)
print(f"min {loss_curve.min():.4f} at step {loss_curve.argmin().item()}")
print("first layer weights:\n", model[0].weight.data)
print("grads of bias:", model[0].bias.grad)
print(repr(model[2].bias))
print("pretty: [" + ", ".join(f"{v:+.2f}" for v in model[2].bias.tolist()) + "]")
print("{:>10} | {:>10}".format("param", "norm"))
for name, p in model.named_parameters():
    print("{:>10} | {:>10.4f}".format(name, p.norm().item()))
torch.set_printoptions(precision=2, threshold=5, edgeitems=1)
big = torch.arange(20.0).reshape(4, 5) / 3
print(big)
print(str(big.sum(1)), big.dtype, big.shape, tuple(big.stride()))
torch.set_printoptions(profile="default")
print(out[:2])
print("%.3f %s %r" % (loss.item(), loss.shape, loss.requires_grad))
print(f"{loss!s}")
print(f"{loss.item()=:.3f}")
sys.stderr.write("warnings go to stderr\n")
