torch.manual_seed(0)
x = torch.tensor([[1.5, -0.5, 2.0], [0.25, 3.0, -1.0]], requires_grad=True)
ints = torch.tensor([[2, -1, 3], [0, 1, -2]])
flags = torch.tensor([[True, False, True], [False, True, True]])
value = torch.tensor(0.75, requires_grad=True)
idx = torch.tensor([2, 0, 2])
src = torch.randn(3, 3, requires_grad=True)
outs = {
    "pow_int_tensor": torch.pow(x, ints),
    "mul_bool": x * flags,
    "div_int": x / (ints.abs() + 1),
    "sub_alpha": torch.sub(x, ints, alpha=2),
    "add_alpha_float": torch.add(x, x.flip(0), alpha=-0.5),
    "where_int": torch.where(flags, x, ints),
    "xlogy_int": torch.xlogy(x.abs(), ints.abs() + 1),
    "fmod_int": torch.fmod(x, ints.abs() + 1),
    "remainder_int": torch.remainder(x, ints.abs() + 1),
    "clamp_int_bounds": torch.clamp(x, min=ints - 1, max=ints + 1),
    "masked_fill_tensor": x.masked_fill(flags, value),
    "index_fill_tensor": x.index_fill(1, torch.tensor([0, 2]), value),
    "index_add_alpha": torch.index_add(x.t().contiguous(), 0, idx, src[:, :2], alpha=2.5).t(),
    "scatter_value": x.scatter(1, torch.tensor([[0], [2]]), 9.0),
    "float_power_int": torch.float_power(x, ints).float(),
    "true_divide": torch.true_divide(x, 3),
    "maximum_int": torch.maximum(x, ints.float()),
    "lerp_scalar": torch.lerp(x, ints.float(), 0.3),
    "heaviside_mul": x * torch.heaviside(x.detach(), torch.tensor(0.5)),
    "square_int_mix": (x * ints) ** 2 / 10,
}
total = sum(o.float().sum() for o in outs.values()) + value * 0
total.backward()
for name, o in outs.items():
    print(f"{name:18s} {o.dtype} {[round(v, 3) for v in o.flatten().tolist()]}")
print(x.grad)
print(value.grad, src.grad)
