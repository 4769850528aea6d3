torch.manual_seed(307)
d = torch.float64
x = torch.tensor([[1.0, 3.0, 3.0, -2.0], [0.0, 0.0, -1.0, 2.0]], dtype=d, requires_grad=True)
y = torch.tensor([[3.0, 1.0, 3.0, 0.5], [0.0, -1.0, -1.0, 2.5]], dtype=d, requires_grad=True)
terms = [
    x.amax(dim=1).sum(),
    x.amin(dim=1, keepdim=True).sum(),
    x.max(),
    torch.maximum(x, y).sum(),
    torch.minimum(x, y).sum(),
    x.clamp(min=0.0, max=2.0).sum(),
    x.clamp_min(1.0).sum() + x.clamp_max(0.0).sum(),
    x.abs().sum(),
    torch.relu(x).sum(),
    F.leaky_relu(x, 0.2).sum(),
    F.hardtanh(x, -1.0, 1.0).sum(),
    (x.sign() * y).sum(),
    (x.round() + x.floor() + x.ceil() + x.trunc()).sum(),
    (x ** 2).sum() + (y ** 3).sum(),
    (2.0 ** x).sum(),
    (y.abs() + 1) .pow(x).sum(),
    (1.0 - x).sum() + (x / (y.abs() + 1)).sum(),
    torch.where(x > y, x, y * 0.5).sum(),
    x.masked_fill(x == 0, -5.0).sum(),
    x[:, [0, 0, 1]].sum() + x.index_select(1, torch.tensor([3, 3])).sum(),
    x.gather(1, torch.tensor([[1, 1], [2, 2]])).sum(),
]
total = torch.stack(terms).sum()
total.backward()
print(round(total.item(), 6))
print(x.grad)
print(y.grad)
