import torch
import torch.nn as nn

torch.manual_seed(5)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
x, y = torch.randn(8, 3), torch.randn(8, 1)
params = [p for p in model.parameters() if p.requires_grad]
loss = nn.functional.mse_loss(model(x), y)
grads = torch.autograd.grad(loss, params, create_graph=True)
estimates = []
for _ in range(3):
    vs = [torch.randint_like(p, high=2) * 2 - 1 for p in params]
    hv = torch.autograd.grad(grads, params, grad_outputs=vs, retain_graph=True)
    estimates.append(sum((h * v).sum() for h, v in zip(hv, vs)).item())
trace_est = sum(estimates) / len(estimates)
print(f"trace ~ {trace_est:.4f}", len(estimates))
gnorm = sum(g.pow(2).sum() for g in grads)
gnorm.backward()
print(model[2].bias.grad)
