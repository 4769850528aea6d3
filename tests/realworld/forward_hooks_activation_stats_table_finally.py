torch.manual_seed(13)
net = nn.Sequential(
    nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.GELU(),
    nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 4 * 4, 3),
)
stats = {}
handles = []


def record(name):
    def hook(module, inputs, output):
        stats[name] = (tuple(output.shape), output.mean().item(), output.std().item(), (output == 0).float().mean().item())
    return hook


try:
    for name, module in net.named_children():
        handles.append(module.register_forward_hook(record(f"{name}:{type(module).__name__}")))
    images = torch.randn(5, 1, 8, 8)
    logits = net(images)
    loss = F.cross_entropy(logits, torch.tensor([0, 1, 2, 1, 0]))
    loss.backward()
finally:
    for h in handles:
        h.remove()

print(f"{'layer':<16}{'shape':<18}{'mean':>9}{'std':>9}{'zeros':>8}")
for name, (shape, mean, std, zeros) in stats.items():
    print(f"{name:<16}{str(shape):<18}{mean:>9.4f}{std:>9.4f}{zeros:>8.1%}")
print(net[0].weight.grad.abs().mean(), len(net[0]._forward_hooks))
