torch.manual_seed(223)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
params = list(model.parameters())
momentum = [torch.zeros_like(p) for p in params]
x = torch.randn(6, 3)
y = torch.randn(6, 1)
lr, beta = 0.1, 0.9
for step in range(3):
    loss = F.mse_loss(model(x), y)
    grads = torch.autograd.grad(loss, params)
    with torch.no_grad():
        torch._foreach_mul_(momentum, beta)
        torch._foreach_add_(momentum, grads)
        torch._foreach_add_(params, momentum, alpha=-lr)
    print(step, round(loss.item(), 5))
norms = torch._foreach_norm(grads)
print([round(n.item(), 4) for n in norms])
print(model[2].bias)
