from collections import OrderedDict

torch.manual_seed(163)
model = nn.Sequential(OrderedDict([
    ("conv", nn.Conv1d(2, 3, kernel_size=3, padding=1)),
    ("act", nn.GELU()),
    ("pool", nn.AdaptiveAvgPool1d(1)),
    ("flat", nn.Flatten()),
    ("head", nn.Linear(3, 2)),
]))
x = torch.randn(4, 2, 5)
logits = model(x)
loss = F.cross_entropy(logits, torch.tensor([0, 1, 1, 0]))
loss.backward()
for name, p in model.named_parameters():
    print(f"{name:12s} {tuple(p.shape)} grad norm {p.grad.norm():.4f}")
print(model.get_submodule("head").weight.grad)
print([n for n, _ in model.named_modules()])
