# Hessian-vector products of robust regression losses; the probe vector came from data with a NaN left in it
x = torch.tensor([0.0, 2.0, 0.2, -3.0], requires_grad=True)
target = torch.zeros(4)
g_smooth, = torch.autograd.grad(F.smooth_l1_loss(x, target, beta=0.5, reduction="none").sum(), x, create_graph=True)
g_huber, = torch.autograd.grad(F.huber_loss(x, target, delta=0.5), x, create_graph=True)
probe = torch.tensor([1.0, float("nan"), 1.0, 1.0])
((g_smooth + g_huber) * probe).sum().backward()
print(g_smooth, g_huber, sep="\n")
print(x.grad)
