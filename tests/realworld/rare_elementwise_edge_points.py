import torch
import torch.nn.functional as F

z = torch.tensor([0.0, 0.0, 1.0, -2.0], requires_grad=True)
w = torch.tensor([0.0, 1.0, 0.0, 3.0], requires_grad=True)
res = {
    "atan2": torch.atan2(z, w + 1),
    "hypot": torch.hypot(z, w),
    "xlogy": torch.xlogy(z, w + 1),
    "sinc": torch.sinc(z),
    "xlog1py": torch.special.xlog1py(z, w),
    "frac": torch.frac(z * 1.5),
    "fmod": torch.fmod(z + 5, w + 2),
    "remainder": torch.remainder(z - 5, w + 2),
    "lerp": torch.lerp(z, w, torch.tensor([0.0, 0.5, 1.0, 0.25])),
    "addcdiv": torch.addcdiv(z, w, w + 2, value=0.5),
    "addcmul": torch.addcmul(z, w, z, value=2),
    "hardtanh": F.hardtanh(z * 2 - 1),
    "relu6": F.relu6(w * 2),
    "elu": F.elu(z),
    "hardswish": F.hardswish(z * 3),
    "hardsigmoid": F.hardsigmoid(w - 3),
    "softplus": F.softplus(z * 30, beta=1, threshold=20),
    "celu": F.celu(z - 0.5, alpha=2.0),
    "logsigmoid": F.logsigmoid(z),
    "copysign": torch.copysign(z, w - 1),
    "erfinv": torch.erfinv(z / 3),
    "logit": torch.logit(w / 4 + 0.1),
    "pow_00": torch.pow(z, w),
    "float_power": torch.float_power(w + 1, 2.5),
    "rsqrt": torch.rsqrt(w + 1),
    "maximum": torch.maximum(z, w),
    "fmin": torch.fmin(z, w),
    "clamp_t": torch.clamp(z, min=w - 1, max=w),
    "sgn": torch.sgn(z),
}
for name, out in res.items():
    z.grad = None
    w.grad = None
    out.sum().backward()
    print(f"{name:>11}: z.grad={None if z.grad is None else z.grad.tolist()} w.grad={None if w.grad is None else w.grad.tolist()}")
