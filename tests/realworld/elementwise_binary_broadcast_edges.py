torch.manual_seed(184)
a = torch.tensor([[-2.0, 0.0, 3.0], [0.5, -0.5, 1.0]], requires_grad=True)
b = torch.tensor([1.5, -1.0, 2.0], requires_grad=True)
c = torch.tensor([[0.2], [0.8]], requires_grad=True)
outs = {
    "atan2": torch.atan2(a, b),
    "hypot": torch.hypot(a, c),
    "lerp": torch.lerp(a, b.expand(2, 3), c),
    "addcmul": torch.addcmul(a, b, c, value=-0.5),
    "addcdiv": torch.addcdiv(a, b, c + 1, value=2.0),
    "clamp_t": torch.clamp(a, min=b - 2, max=c),
    "pow_t": torch.pow(c + 1, a),
    "fmod": torch.fmod(a, 0.7),
    "remainder": torch.remainder(a, b.abs() + 0.5),
    "copysign": torch.copysign(a, b),
    "maximum": torch.maximum(a, b),
    "fmin": torch.fmin(a, c),
    "xlogy": torch.xlogy(c, a.abs() + 1),
    "ldexp": torch.ldexp(a, torch.tensor([1, 2, 3])),
    "logaddexp": torch.logaddexp(a, b),
    "float_power": torch.float_power(a.abs() + 1, 1.5).float(),
    "true_div_int": a / torch.tensor([2, 3, 4]),
    "floor_div": torch.div(a, b, rounding_mode="floor"),
}
loss = sum((i + 1) * v.sum() for i, v in enumerate(outs.values()))
loss.backward()
print({k: [round(t, 3) for t in v.flatten().tolist()] for k, v in list(outs.items())[:4]})
print(a.grad, b.grad, c.grad)
