import sys
import torch

torch.manual_seed(0)
W = torch.randn(3, 3, requires_grad=True)
b = torch.zeros(3, requires_grad=True)
xs = [torch.randn(3) for _ in range(4)]

sys.stdout.write("%-6s %-10s %-10s\n" % ("step", "loss", "|dW|"))
for step, xi in enumerate(xs):
    z = W @ xi + b
    loss = torch.logsumexp(z, 0) - z[step % 3]
    loss.backward()
    sys.stdout.write("%-6d %-10.5f %-10.5f\n" % (step, loss.item(), W.grad.norm().item()))
    if W.grad.norm() > 3:
        sys.stdout.write("gradient too large, stopping\n")
        break
sys.stdout.flush()
print(f"{b.grad=}")
print(f"{W.grad.sum()=:.3f}")
sys.stdout.writelines([f"row {i}: {r.tolist()}\n" for i, r in enumerate(W.grad.round(decimals=3))])
