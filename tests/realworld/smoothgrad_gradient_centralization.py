# SmoothGrad saliency (input gradients averaged over noisy copies, torch.autograd.grad each time) and an optimizer
# step with gradient centralization (each weight gradient minus its mean over the fan-in, in place).
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3))
x = torch.randn(1, 6)
target = 2
grads = []
for _ in range(5):
    noisy = (x + 0.15 * torch.randn_like(x)).requires_grad_(True)
    score = model(noisy)[0, target]
    (g,) = torch.autograd.grad(score, noisy)
    grads.append(g)
saliency = torch.stack(grads).mean(0).abs()
print(saliency)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
y = torch.tensor([target])
for step in range(2):
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    for p in model.parameters():
        if p.grad is not None and p.grad.dim() > 1:
            p.grad.sub_(p.grad.mean(dim=1, keepdim=True))
    opt.step()
    print(step, f"{loss.item():.5f}", model[0].weight.grad.mean(1).abs().max().item() < 1e-6)
print(model[2].weight.grad)
