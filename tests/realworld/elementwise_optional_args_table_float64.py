torch.manual_seed(0)
x = torch.tensor([-1.5, -0.25, 0.0, 0.5, 2.0], dtype=torch.float64, requires_grad=True)
p = torch.tensor([0.1, 0.3, 0.5, 0.7, 0.9], dtype=torch.float64, requires_grad=True)
lo = torch.full((5,), -0.5, dtype=torch.float64, requires_grad=True)
results = {
    "diff_prepend": torch.diff(x, prepend=x[:1] * 0, append=x[-1:] * 2),
    "cumsum_dtype": torch.cumsum(x, 0, dtype=torch.float64),
    "clamp_tensor": torch.clamp(x, min=lo, max=x.detach().abs() + 0.1),
    "lerp_tensor": torch.lerp(x, p, p),
    "addcmul_value": torch.addcmul(x, p, x, value=0.5),
    "addcdiv_value": torch.addcdiv(x, x, p, value=-2),
    "norm_half": torch.norm(p, p=0.5).expand(5),
    "dist_p3": torch.dist(x, p, p=3).expand(5),
    "normalize_p1": F.normalize(x.view(1, 5), p=1, dim=1).view(5),
    "logit_eps": torch.logit(p, eps=0.2),
    "var_corr0": x.var(correction=0).expand(5),
    "std_unbiased": x.std(unbiased=True).expand(5),
    "xlog1py": torch.special.xlog1py(x, p),
    "entr": torch.special.entr(p),
    "log_ndtr": torch.special.log_ndtr(x),
    "ndtri": torch.special.ndtri(p),
    "erfcx": torch.special.erfcx(x),
    "sinc": torch.special.sinc(x),
    "float_power": torch.float_power(p, 2.5),
    "ldexp": torch.ldexp(x, torch.tensor([1, 2, 0, -1, 3])),
    "fmax": torch.fmax(x, lo),
    "maximum_ties": torch.maximum(x, x.detach().clamp(min=0)),
    "rad": torch.deg2rad(x) + torch.rad2deg(p),
    "logaddexp2": torch.logaddexp2(x, p),
    "hypot": torch.hypot(x, p),
    "atan2": torch.atan2(x, p),
    "copysign": torch.copysign(p, x),
    "frac_trunc": torch.frac(x * 3) + torch.trunc(x * 3),
    "remainder": torch.remainder(x, 0.75),
    "fmod": torch.fmod(x, p + 0.5),
    "round_dec": torch.round(x * 7, decimals=1),
    "nan_to_num": torch.nan_to_num(torch.log(x), nan=0.0, neginf=-5.0),
    "sigmoid_T": torch.sigmoid(x / 0.5),
    "softplus_beta": F.softplus(x, beta=2.0, threshold=1.0),
    "celu": F.celu(x, alpha=0.5),
    "rrelu_eval": F.rrelu(x, training=False),
    "threshold": F.threshold(x, 0.1, -3.0),
    "logsigmoid": F.logsigmoid(x),
    "softsign_tanhshrink": F.softsign(x) + F.tanhshrink(x),
    "hardshrink_softshrink": F.hardshrink(x, 0.5) + F.softshrink(x, 0.3),
}
total = sum(v.sum() for v in results.values())
total.backward()
for name, v in results.items():
    print(f"{name:22s}", [round(t, 4) for t in v.tolist()])
print(x.grad)
print(p.grad)
print(lo.grad)
