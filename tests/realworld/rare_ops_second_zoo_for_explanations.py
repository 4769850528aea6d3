# Less common differentiable ops met in papers' reference code, each feeding one scalar
import torch
import torch.nn.functional as F

torch.manual_seed(50)
a = torch.rand(3, 3, dtype=torch.float64, requires_grad=True)
b = torch.rand(3, 3, dtype=torch.float64, requires_grad=True)
v = torch.rand(3, dtype=torch.float64, requires_grad=True)
terms = {
    "kron": torch.kron(a[:2, :2], b[:2, :2]).sum(),
    "block_diag": torch.block_diag(a, b).pow(2).sum(),
    "cartesian_prod": torch.cartesian_prod(v, v).prod(1).sum(),
    "combinations": torch.combinations(v, r=2).prod(1).sum(),
    "multi_dot": torch.linalg.multi_dot([a, b, a]).trace(),
    "matrix_power": torch.linalg.matrix_power(a, 3).sum(),
    "addr": torch.addr(a, v, v, beta=0.5, alpha=2.0).sum(),
    "baddbmm": torch.baddbmm(a.unsqueeze(0), a.unsqueeze(0), b.unsqueeze(0), beta=0.3).sum(),
    "hypot_atan2": (torch.hypot(a, b) + torch.atan2(a, b)).sum(),
    "copysign_ldexp": (torch.copysign(a, b - 0.5) + torch.ldexp(a, torch.tensor(2))).sum(),
    "fmax_fmin": (torch.fmax(a, b) - torch.fmin(a, b)).sum(),
    "sinc_i0": (torch.sinc(a) + torch.special.i0e(b)).sum(),
    "xlog1py_entr": (torch.special.xlog1py(a, b) + torch.special.entr(a)).sum(),
    "log_ndtr_erfcx": (torch.special.log_ndtr(a - 0.5) + torch.special.erfcx(b)).sum(),
    "logit_eps": torch.logit(a, eps=1e-3).sum(),
    "renorm": torch.renorm(a, p=2, dim=0, maxnorm=0.5).sum(),
    "pdist": F.pdist(a).sum(),
    "cdist_p1": torch.cdist(a, b, p=1).sum(),
    "trapezoid": torch.trapezoid(a, dx=0.5).sum(),
    "cumulative_trapezoid": torch.cumulative_trapezoid(v).sum(),
    "cummin": torch.cummin(a, dim=1).values.sum(),
    "glu_logsigmoid": (F.glu(torch.cat([a, b], 1), dim=1) + F.logsigmoid(a)).sum(),
    "softsign_tanhshrink": (F.softsign(a) + F.tanhshrink(b)).sum(),
    "hardswish_mish": (F.hardswish(a * 4 - 2) + F.mish(b)).sum(),
    "gaussian_nll": F.gaussian_nll_loss(a, b, v.unsqueeze(0).expand(3, 3) + 0.1),
    "poisson_nll": F.poisson_nll_loss(a, b * 3, log_input=False, full=True),
    "multi_margin": F.multi_margin_loss(a, torch.tensor([0, 2, 1]), p=2, margin=0.7),
    "local_response_norm": F.local_response_norm(a.view(1, 3, 3, 1), size=2).sum(),
    "affine_grid": F.affine_grid(a[:2].unsqueeze(0), [1, 1, 2, 2], align_corners=False).sum(),
    "lu_solve": torch.linalg.lu_solve(*torch.linalg.lu_factor(a + 3 * torch.eye(3, dtype=torch.float64)), b).sum(),
    "cond": torch.linalg.cond(a + 2 * torch.eye(3, dtype=torch.float64)),
    "vander": torch.linalg.vander(v, N=3).sum(),
}
total = sum(terms.values())
total.backward()
for name, t in terms.items():
    print(f"{name:22s} {t.item():+.6f}")
print(a.grad, b.grad, v.grad, sep="\n")
