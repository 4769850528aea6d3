import itertools
import torch

torch.manual_seed(0)
A = torch.randn(4, 4)
A = A @ A.T + torch.eye(4)
bvec = torch.randn(4)
x = torch.zeros(4, requires_grad=True)
opt = torch.optim.SGD([x], lr=0.05)
for it in itertools.count():
    opt.zero_grad()
    residual = A @ x - bvec
    f = 0.5 * residual.dot(residual)
    f.backward()
    opt.step()
    if f.item() < 1e-3 or it >= 199:
        break
print(f"stopped at iteration {it} with f={f.item():.6f}")
print("solution", x.detach(), torch.linalg.solve(A, bvec))
