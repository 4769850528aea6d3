# masks and counts mixed into float math, as in masked losses and length-normalised scores
torch.manual_seed(0)
x = torch.randn(3, 4, requires_grad=True)
mask = torch.tensor([[True, True, False, False], [True, False, False, False], [True, True, True, True]])
lengths = mask.sum(dim=1)
powers = torch.tensor([1, 2, 3, 2])
terms = {
    "pow_int": x.pow(powers),
    "div_int": x / lengths[:, None],
    "add_bool": x + mask,
    "sub_bool": x - mask.to(x.dtype),
    "bool_mul": torch.mul(mask, x),
    "max_int": torch.maximum(x, powers - 2),
    "clamp_int": torch.clamp(x, min=-(powers[None, :]) * 0.5),
    "addcmul": torch.addcmul(x, mask, x, value=0.3),
    "where_mix": torch.where(mask, x, x * 0.1),
    "rdiv": lengths[:, None] / (x.abs() + 1),
    "rsub": powers - x,
    "mean_masked": (x * mask).sum(dim=1) / lengths,
}
score = sum(t.sum() for t in terms.values())
score.backward()
print(score)
print(x.grad)
print(lengths, lengths.dtype, (x.pow(powers)).dtype)
