# WGAN-GP's penalty by torch.autograd.grad without create_graph=True, then the critic's loss.backward() (the hint spoke
# of a loop's carried hidden state, not of the grad() call that freed the graph).
torch.manual_seed(66)
D = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
real, fake = torch.randn(3, 2), torch.randn(3, 2)
alpha = torch.rand(3, 1)
interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
out = D(interp)
grads = torch.autograd.grad(out, interp, grad_outputs=torch.ones_like(out))[0]
gp = ((grads.norm(2, dim=1) - 1) ** 2).mean()
loss = -out.mean() + 10 * gp
loss.backward()
print(D[0].weight.grad is not None)
gp.backward()
