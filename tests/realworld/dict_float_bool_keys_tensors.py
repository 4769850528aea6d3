import torch

torch.manual_seed(0)
x = torch.randn(5, 2)
true_w = torch.tensor([2.0, -1.0])
y = x @ true_w
final_w = {}
converged = {}
for lr in (0.01, 0.1, 0.3):
    w = torch.zeros(2, requires_grad=True)
    for _ in range(20):
        loss = ((x @ w - y) ** 2).mean()
        g, = torch.autograd.grad(loss, w)
        with torch.no_grad():
            w -= lr * g
    final_w[lr] = w.detach()
    converged[loss.item() < 1e-3] = loss
print({k: v.tolist() for k, v in final_w.items()})
print(sorted(converged))
