# Curvature of robust regression losses: the Hessian's diagonal is 1/beta inside the quadratic zone, 0 outside.
from torch.autograd.functional import hessian

pred = torch.tensor([0.7, 0.9, 1.2, 0.3, 0.6, 2.0], requires_grad=True)
target = torch.tensor([0.2, 0.4, 0.7, 0.1, 0.3, 0.5])
for name, fn in [
    ("smooth_l1 beta=0.5", lambda p: F.smooth_l1_loss(p, target, beta=0.5, reduction="sum")),
    ("huber delta=0.5", lambda p: F.huber_loss(p, target, delta=0.5, reduction="sum")),
    ("mse", lambda p: F.mse_loss(p, target, reduction="sum")),
]:
    H = hessian(fn, pred)
    print(f"{name:20s}", H.diagonal().tolist())
loss = F.smooth_l1_loss(pred, target, beta=0.5)
(g,) = torch.autograd.grad(loss, pred, create_graph=True)
g.pow(2).sum().backward()
print(pred.grad)
