@torch.jit.script
def scaled_tanh(x: torch.Tensor, scale: float) -> torch.Tensor:
    return torch.tanh(x) * scale


x = torch.linspace(-2, 2, 5, requires_grad=True)
y = scaled_tanh(x, 2.0)
y.sum().backward()
print(x.grad)


def with_kwargs(x, **opts):
    return x * opts.get("scale", 1.0)


scripted = torch.jit.script(with_kwargs)
print("unreachable")
