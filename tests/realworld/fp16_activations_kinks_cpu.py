# float16 on CPU: activations with kinks at the numbers people type
x = torch.tensor([-3.0, -1.0, -0.1, 0.0, 0.1, 0.3, 1.0, 3.0, 6.0], dtype=torch.float16, requires_grad=True)
ys = [
    F.hardtanh(x, -0.1, 0.3),
    F.relu6(x),
    F.hardswish(x),
    F.hardsigmoid(x),
    F.leaky_relu(x, 0.1),
    F.elu(x, alpha=0.3),
    F.softshrink(x, 0.1),
    F.hardshrink(x, 0.3),
    x.clamp(min=0.1, max=0.3),
    F.threshold(x, 0.3, 0.0),
    F.softplus(x, beta=10, threshold=1.0),
    F.celu(x, 0.3),
    F.silu(x),
]
total = sum(y.float().sum() for y in ys)
total.backward()
print(x.grad)
