# Penalise curvature: the trace of the Hessian of the loss w.r.t. a small weight vector
from torch.autograd.functional import hessian, hvp, vhp

torch.manual_seed(1)
X = torch.randn(10, 3)
y = torch.randn(10)
w = torch.zeros(3, requires_grad=True)
temperature = torch.tensor(1.0, requires_grad=True)


def loss_fn(w):
    return F.softplus((X @ w - y) / temperature).mean()


H = hessian(loss_fn, w, create_graph=True)
print(H.shape, H.requires_grad)
sharpness = torch.trace(H)
total = loss_fn(w) + 0.5 * sharpness
total.backward()
print("w.grad", w.grad)
print("temperature.grad", temperature.grad)

v = torch.ones(3)
_, hv = hvp(loss_fn, w.detach(), v)
_, vh = vhp(loss_fn, w.detach(), v)
print(torch.allclose(hv, vh), torch.allclose(hv, H.detach() @ v))
print(f"{'eig':>6} | {'value':>10}")
for i, ev in enumerate(torch.linalg.eigvalsh(H.detach())):
    print(f"{i:>6} | {ev.item():>10.6f}")
