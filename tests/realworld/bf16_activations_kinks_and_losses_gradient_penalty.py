x = torch.tensor([-0.7, -0.3, 0.0, 0.3, 0.7, 1.0, 2.5], dtype=torch.bfloat16, requires_grad=True)
t = torch.tensor([-0.4, -0.3, 0.5, 0.0, 0.2, 1.0, 1.5], dtype=torch.bfloat16)
parts = {
    "hardtanh": F.hardtanh(x, -0.3, 0.7).sum(),
    "clamp": x.clamp(-0.3, 0.7).sum(),
    "smooth_l1": F.smooth_l1_loss(x, t, beta=0.3),
    "huber": F.huber_loss(x, t, delta=0.7),
    "l1": F.l1_loss(x, t),
    "mse": F.mse_loss(x, t),
    "softshrink": F.softshrink(x, 0.3).sum(),
    "threshold": F.threshold(x, 0.3, -1.0).sum(),
}
for k, v in parts.items():
    g, = torch.autograd.grad(v, x)
    print(f"{k:10s}", g.float().tolist())
# a gradient penalty through the kinks (the first backward differentiated again)
xp = x.detach().clone().requires_grad_(True)
h = F.hardtanh(xp, -0.3, 0.7) * 2 + F.threshold(xp, 0.3, -1.0) * 3
gx, = torch.autograd.grad(h.pow(2).sum(), xp, create_graph=True)
penalty = gx.float().pow(2).sum()
penalty.backward()
print(xp.grad.float().tolist())
