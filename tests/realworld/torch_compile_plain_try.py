torch.manual_seed(79)


def f(x):
    return torch.sin(x) ** 2 + torch.cos(x)


x = torch.randn(4, requires_grad=True)
try:
    cf = torch.compile(f, backend="eager")
    y = cf(x)
    print("compiled ran")
except Exception as e:
    print("compile failed:", type(e).__name__)
    y = f(x)
y.sum().backward()
print(x.grad)
print(torch.allclose(x.grad, 2 * torch.sin(x) * torch.cos(x) - torch.sin(x), atol=1e-6))
