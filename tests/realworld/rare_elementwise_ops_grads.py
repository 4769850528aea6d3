# a blog post's "lesser-known ops" list, each with its gradient
torch.manual_seed(0)
x = torch.tensor([-3.0, -0.5, 0.0, 0.7, 25.0], requires_grad=True)
y = torch.tensor([1.0, -2.0, 0.5, 0.7, 3.0], requires_grad=True)
lo = torch.tensor([-1.0, -1.0, -1.0, 0.0, 0.0])
hi = torch.tensor([1.0, 0.0, 1.0, 0.5, 30.0])
parts = {
    "atan2": torch.atan2(y, x + 0.1),
    "hypot": torch.hypot(x, y),
    "logaddexp": torch.logaddexp(x, y),
    "clamp_t": torch.clamp(x, min=lo, max=hi),
    "lerp": torch.lerp(x, y, torch.sigmoid(y)),
    "addcdiv": torch.addcdiv(x, y, y.exp(), value=0.5),
    "addcmul": torch.addcmul(x, x, y, value=-2.0),
    "nan_to_num": torch.nan_to_num(torch.log(x), nan=0.0, neginf=-5.0),
    "softplus": F.softplus(x, beta=2.0, threshold=10.0),
    "logsigmoid": F.logsigmoid(x),
    "xlogy": torch.xlogy(x.abs(), y.abs()),
    "copysign": torch.copysign(x, y),
    "maximum": torch.maximum(x, y),
    "fmin": torch.fmin(x, y),
    "sinc": torch.sinc(x),
    "erfinv": torch.erfinv(torch.tanh(x) * 0.9),
}
total = sum(v.sum() for v in parts.values())
total.backward()
for k, v in parts.items():
    print(f"{k:>10}", v.detach())
print(x.grad)
print(y.grad)
