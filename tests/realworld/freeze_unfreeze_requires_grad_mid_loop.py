# Fine-tuning in stages: the backbone frozen with requires_grad_(False) for the first epochs, then unfrozen
# mid-loop; the optimizer was given every parameter, so the frozen ones just have no gradient until then.
torch.manual_seed(0)
backbone = nn.Sequential(nn.Linear(4, 6), nn.ReLU())
head = nn.Linear(6, 2)
model = nn.Sequential(backbone, head)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(8, 4), torch.randint(0, 2, (8,))
backbone.requires_grad_(False)
for epoch in range(4):
    if epoch == 2:
        backbone.requires_grad_(True)
        print("unfrozen at epoch", epoch)
    opt.zero_grad()
    out = model(x)
    loss = F.cross_entropy(out, y)
    loss.backward()
    opt.step()
    grads = ["none" if p.grad is None else f"{p.grad.norm():.3f}" for p in model.parameters()]
    print(epoch, f"{loss.item():.4f}", grads, out.requires_grad)
features = backbone(x)
print(features.requires_grad, features.grad_fn.name())
