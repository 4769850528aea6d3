def f(t):
    return (t.sin() * t.pow(2)).sum()


torch.manual_seed(179)
x = torch.randn(4, requires_grad=True)
y = f(x)
y.backward()
eps = 1e-3
numeric = torch.zeros(4)
with torch.no_grad():
    for i in range(4):
        x[i] += eps
        plus = f(x)
        x[i] -= 2 * eps
        minus = f(x)
        x[i] += eps
        numeric[i] = (plus - minus) / (2 * eps)
print(x._version)
print(torch.allclose(numeric, x.grad, atol=1e-3))
print(x.grad)
