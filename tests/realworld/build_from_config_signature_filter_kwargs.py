import inspect

CONFIG = [
    {"type": "Linear", "in_features": 4, "out_features": 8, "dropout": 0.1},
    {"type": "LayerNorm", "normalized_shape": 8, "eps": 1e-6, "in_features": 4},
    {"type": "GELU", "approximate": "tanh"},
    {"type": "Dropout", "p": 0.0},
    {"type": "Linear", "in_features": 8, "out_features": 2, "bias": False},
]


def build(spec):
    cls = getattr(nn, spec["type"])
    sig = inspect.signature(cls)
    accepted = {k: v for k, v in spec.items() if k in sig.parameters}
    dropped = sorted(set(spec) - set(accepted) - {"type"})
    print(f"{cls.__name__:<10} {str(sig)[:70]}")
    if dropped:
        print(f"{'':<10} ignored: {dropped}")
    return cls(**accepted)


torch.manual_seed(0)
model = nn.Sequential(*[build(s) for s in CONFIG])
print(inspect.signature(nn.Linear.__init__))
print(nn.Linear.__init__.__qualname__, nn.Linear.__init__.__name__, nn.Linear.__init__.__module__)
print(inspect.signature(model.forward), inspect.signature(model[0].forward))
print(nn.Module.__call__.__name__, type(model).__call__ is nn.Module.__call__)
print(inspect.getfullargspec(nn.Conv2d.__init__).args[:5])
print(nn.Linear.__init__.__defaults__)
x = torch.randn(3, 4)
out = model(x)
out.logsumexp(dim=1).mean().backward()
print(model[0].weight.grad.abs().sum(), model[4].weight.grad.shape)
