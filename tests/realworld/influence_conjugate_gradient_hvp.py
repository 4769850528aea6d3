import torch

torch.manual_seed(6)
X = torch.randn(12, 3)
y = X @ torch.tensor([1.0, -1.0, 0.5]) + 0.1 * torch.randn(12)
w = torch.zeros(3, requires_grad=True)
opt = torch.optim.LBFGS([w], max_iter=20)


def closure():
    opt.zero_grad()
    loss = ((X @ w - y) ** 2).mean() + 0.01 * w.pow(2).sum()
    loss.backward()
    return loss


opt.step(closure)


def hvp(v):
    loss = ((X @ w - y) ** 2).mean() + 0.01 * w.pow(2).sum()
    (g,) = torch.autograd.grad(loss, w, create_graph=True)
    (hv,) = torch.autograd.grad(g @ v, w)
    return hv


test_loss = (X[0] @ w - y[0]) ** 2
(b,) = torch.autograd.grad(test_loss, w)
v = torch.zeros(3)
r = b.clone()
p = r.clone()
for it in range(5):
    Ap = hvp(p)
    alpha = (r @ r) / (p @ Ap)
    v = v + alpha * p
    r_new = r - alpha * Ap
    if r_new.norm() < 1e-6:
        break
    p = r_new + (r_new @ r_new) / (r @ r) * p
    r = r_new
H = torch.autograd.functional.hessian(lambda w_: ((X @ w_ - y) ** 2).mean() + 0.01 * w_.pow(2).sum(), w.detach())
print(torch.allclose(H @ v, b, atol=1e-4), it)
print(w)
