# The top Hessian eigenvalue of a small model's loss by power iteration on Hessian-vector products
# (autograd.grad with create_graph=True once, then grad of (g . v) per iteration with retain_graph).
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
x, y = torch.randn(8, 2), torch.randn(8, 1)
params = list(model.parameters())
loss = F.mse_loss(model(x), y)
grads = torch.autograd.grad(loss, params, create_graph=True)
v = [torch.randn_like(p) for p in params]
norm = torch.sqrt(sum((t * t).sum() for t in v))
v = [t / norm for t in v]
for it in range(5):
    gv = sum((g * t).sum() for g, t in zip(grads, v))
    Hv = torch.autograd.grad(gv, params, retain_graph=True)
    eig = sum((h * t).sum() for h, t in zip(Hv, v)).item()
    norm = torch.sqrt(sum((h * h).sum() for h in Hv))
    v = [h / norm for h in Hv]
    print(f"iteration {it}: eigenvalue estimate {eig:.5f}")
print([p.grad for p in params])
