torch.manual_seed(317)
x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
y = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
f32 = torch.randn(4, requires_grad=True)
lo = torch.full((4,), -0.5, dtype=torch.float64, requires_grad=True)
hi = torch.full((3, 1), 0.5, dtype=torch.float64, requires_grad=True)
fill = torch.tensor(2.5, dtype=torch.float64, requires_grad=True)
h = x * 1.0
h.relu_()
k = y * 1.0
F.leaky_relu_(k, 0.1)
e = (x + y) * 1.0
F.elu_(e)
terms = [
    torch.add(x, y, alpha=2.5).sum(),
    torch.sub(x, y, alpha=-3.0).pow(2).sum(),
    torch.rsub(x, y, alpha=0.5).sum(),
    (x + f32).sum() + (f32 * y).pow(2).sum(),
    x.clamp(min=lo, max=hi).sum(),
    torch.div(x, y.abs() + 1, rounding_mode="floor").sum() + (x / 3).sum(),
    x.masked_fill(x < 0, fill).sum(),
    F.softmax(f32, dim=0, dtype=torch.float64).mul(y[0]).sum(),
    F.log_softmax(x, dim=0)[0].sum(),
    h.sum() + k.sum() + e.sum(),
]
total = torch.stack(terms).sum()
total.backward()
print(round(total.item(), 6))
print(x.grad)
print(f32.grad, fill.grad)
print(lo.grad, hi.grad.flatten())
