torch.manual_seed(6)
critic = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
real = torch.randn(4, 3)
fake = torch.randn(4, 3)
alpha = torch.rand(4, 1)
interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
scores = critic(interp)
grads = torch.autograd.grad(
    outputs=scores,
    inputs=interp,
    grad_outputs=torch.ones_like(scores),
    create_graph=True,
    retain_graph=True,
)[0]
penalty = ((grads.norm(2, dim=1) - 1) ** 2).mean()
critic_loss = critic(fake).mean() - critic(real).mean() + 10 * penalty
critic_loss.backward()
print(round(penalty.item(), 5))
print(critic[0].weight.grad.norm().item() > 0)
print(critic[2].bias.grad)
