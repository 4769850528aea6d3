import textwrap


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1),
            nn.GroupNorm(2, 4),
            nn.SiLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(4, 8, 3),
            nn.InstanceNorm2d(8, affine=True),
            nn.ReLU(inplace=True),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc(self.pool(self.features(x)).flatten(1))


def summarize(model, x):
    rows = []
    hooks = []
    for name, module in model.named_modules():
        if len(list(module.children())) == 0:
            hooks.append(
                module.register_forward_hook(
                    lambda m, i, o, name=name: rows.append((name, type(m).__name__, tuple(o.shape), sum(p.numel() for p in m.parameters())))
                )
            )
    model(x)
    for h in hooks:
        h.remove()
    header = f"{'layer':<14}{'type':<18}{'output':<20}{'params':>8}"
    lines = [header, "-" * len(header)]
    lines += [f"{n:<14}{t:<18}{str(s):<20}{p:>8,}" for n, t, s, p in rows]
    return "\n".join(lines)


torch.manual_seed(1)
net = ConvNet()
images = torch.randn(2, 1, 8, 8)
print(textwrap.indent(summarize(net, images), "  "))
print(textwrap.shorten(repr(net), width=60, placeholder=" ..."))
print(textwrap.fill("GroupNorm and InstanceNorm normalise each sample on its own, so the batch size does not matter.", width=40))

labels = torch.tensor([0, 2])
logits = net(images)
loss = F.cross_entropy(logits, labels)
loss.backward()
for name, p in net.named_parameters():
    print(f"{name:<22} grad norm {p.grad.norm():.5f}")
