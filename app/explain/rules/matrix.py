"""Matrix functions and decompositions (derivatives.yaml: _linalg_solve_ex, linalg_inv_ex, _linalg_det,
_linalg_slogdet, linalg_cholesky_ex, cholesky, _linalg_eigh, _linalg_svd, linalg_qr, linalg_matrix_exp,
linalg_pinv, linalg_lstsq; the formulas of torch/csrc/autograd/FunctionsManual.cpp). An entry-by-entry chain rule
says little here: every entry of the result depends on every entry of the matrix. So each rule writes the
gradient as one matrix formula (`grad_A = -A⁻ᵀ · grad · A⁻ᵀ`), computes it in float64 from the values the node
saved, and checks it against what PyTorch sent. Batches of matrices work matrix by matrix (the last two axes).
"""

from collections.abc import Callable

import torch
from torch import Tensor

from ..expr import ATOM, Expr, Form, Sym, summed_to
from ..rule import Ctx, Missing, Rule, Slot, Words, add


def _received(ctx: Ctx, index: int, label: str) -> Sym | None:
    """The gradient received for output `index` (`grad(λ)`), or None when PyTorch passed none (that output was not
    used: its gradient is 0 and the formula leaves its term out)."""
    if index >= len(ctx.grad_outputs) or ctx.grad_outputs[index] is None:
        return None
    return Sym(f"grad({label})", ctx.grad_tensor(index))


def _named(ctx: Ctx, key: str, label: str) -> Sym:
    """A saved matrix under a fixed name (`V`, `Q`, `R`): an output of the decomposition."""
    return Sym(label, ctx.tensor(key))


def _back(ctx: Ctx, slot: int, expr: Expr) -> Expr:
    """`expr` summed back to the input's shape (a batch of matrices broadcast against another's)."""
    shape = ctx.input_shape(slot)
    return expr if shape is None else summed_to(expr, shape)


def _matrix(en: str, ko: str, args: list[Expr], fn: Callable[..., Tensor], nums: str | None = None) -> Expr:
    """A matrix formula: its text (`{0}`, `{1}`... the arguments' names), its value by `fn`; its numbers write each
    argument's values into the same text, or into `nums` (a decomposition's formula repeats its factors: its
    numbers show the few values that say most, `λ = …, F = …`)."""
    return Form(en, ko, args, fn, prec=ATOM, nums=nums)


def _gaps_inverse(values: Tensor, squared: bool) -> Tensor:
    """F: 1/(λⱼ - λᵢ) (or 1/(sⱼ² - sᵢ²)) off the diagonal, 0 on it."""
    values = values * values if squared else values
    gap = values.unsqueeze(-2) - values.unsqueeze(-1)
    gap.diagonal(0, -2, -1).fill_(1.0)
    inverse = 1.0 / gap
    inverse.diagonal(0, -2, -1).fill_(0.0)
    return inverse


def _inverse(a: Tensor) -> Tensor:
    """A⁻¹ of each matrix (no error for a singular one: its entries are then inf or nan, as a solve's would be)."""
    return torch.linalg.inv_ex(a).inverse


def _solve_left(a: Tensor, b: Tensor) -> Tensor:
    return torch.linalg.solve_ex(a, b).result


def _eye(n: int) -> Tensor:
    return torch.eye(n, dtype=torch.float64)


def _vector_rhs(a: Tensor, b: Tensor) -> bool:
    """Whether B is a vector (or a batch of vectors) of A·X = B, as `linalg.solve` tells
    (`linalg_solve_is_vector_rhs`)."""
    return b.dim() == 1 or (a.dim() - 1 == b.dim() and tuple(b.shape) == tuple(a.shape[:-1]))


# -- solve and inverse ------------------------------------------------------------------------------------------


def _solve_gradients(ctx: Ctx, which: str) -> Expr:
    a, x = ctx.sym("A"), Sym(ctx.output_label(), ctx.tensor("result"))
    left, grad = bool(ctx.raw("left")), ctx.grad
    vector = _vector_rhs(a.value(), x.value())

    def as_matrix(t: Tensor) -> Tensor:
        return t.unsqueeze(-1) if vector else t

    def grad_b(av: Tensor, g: Tensor) -> Tensor:
        if left:  # X = A⁻¹·B: grad_B = A⁻ᵀ · grad
            out = _solve_left(av.mT, as_matrix(g))
            return out.squeeze(-1) if vector else out
        return _solve_left(av, g.mT).mT  # X = B·A⁻¹: grad_B = grad · A⁻ᵀ

    if which == "B":
        en = "{0}⁻ᵀ · {1}" if left else "{1} · {0}⁻ᵀ"
        return _back(ctx, 1, _matrix(en, en, [a, grad], grad_b))

    def grad_a(av: Tensor, g: Tensor, xv: Tensor) -> Tensor:
        gb = as_matrix(grad_b(av, g))
        return -(gb @ as_matrix(xv).mT) if left else -(xv.mT @ gb)

    matrices = "-{0}⁻ᵀ · {1} · {2}ᵀ" if left else "-{2}ᵀ · {1} · {0}⁻ᵀ"
    en = "-({0}⁻ᵀ · {1}) ⊗ {2}" if vector else matrices
    return _back(ctx, 0, _matrix(en, en, [a, grad, x], grad_a))


def _inverse_gradient(ctx: Ctx) -> Expr:
    inverse = Sym(ctx.output_label(), ctx.tensor("inverse"))
    text = "-{0}ᵀ · {1} · {0}ᵀ"
    return _matrix(text, text, [inverse, ctx.grad], lambda y, g: -(y.mT @ g @ y.mT))


# -- determinants ----------------------------------------------------------------------------------------------


def _lu_inverse_t(ctx: Ctx, nudge_zero_pivots: bool) -> Callable[[Tensor], Tensor]:
    """A⁻ᵀ from the LU factors the node saved, as PyTorch solves with them (a zero pivot nudged to eps for det, whose
    gradient there is then grad · 0 · (something finite) = 0). The factors are of A or of Aᵀ (PyTorch factors
    whichever is laid out row by row); rebuilding them tells which."""
    lu_raw = ctx.raw("LU")
    lu, pivots = ctx.tensor("LU"), ctx.tensor("pivots").to(torch.int32)
    if nudge_zero_pivots:
        eps = torch.finfo(lu_raw.dtype).eps if lu_raw.is_floating_point() else torch.finfo(torch.float64).eps
        diagonal = lu.diagonal(0, -2, -1)
        lu = lu + torch.diag_embed(torch.where(diagonal == 0, eps, 0.0))

    def inverse_t(a: Tensor) -> Tensor:
        identity = _eye(a.shape[-1]).expand(a.shape)
        p, lower, upper = torch.lu_unpack(lu, pivots)
        rebuilt = p @ lower @ upper
        largest = float(a.abs().nan_to_num(0.0, 0.0, 0.0).max().clamp(min=1e-300))  # (a NaN or inf in A: its LU too)
        of_transpose = bool(torch.allclose(rebuilt, a.mT, rtol=1e-3, atol=1e-5 * largest, equal_nan=True))
        return torch.linalg.lu_solve(lu, pivots, identity, adjoint=not of_transpose)

    return inverse_t


def _batched(value: Tensor) -> Tensor:
    """A per-matrix number (a batch of them) ready to multiply its matrix."""
    return value.unsqueeze(-1).unsqueeze(-1)


def _det_gradient(ctx: Ctx) -> Expr:
    a, det, inverse_t = ctx.sym("A"), Sym(ctx.output_label(), ctx.tensor("result")), _lu_inverse_t(ctx, True)
    text = "{0} · {1} · {2}⁻ᵀ"
    return _matrix(text, text, [ctx.grad, det, a], lambda g, d, av: _batched(g * d) * inverse_t(av))


def _slogdet_gradient(ctx: Ctx) -> Expr:
    a, inverse_t = ctx.sym("A"), _lu_inverse_t(ctx, False)
    grad = _received(ctx, 1, "log|det|")
    if grad is None:
        # (a node no backward ran has one stand-in gradient, as written for its formulas; else this raises Missing)
        stand_in = len(ctx.grad_outputs) == 1 and isinstance(ctx.grad_outputs[0], Tensor)
        grad = Sym("grad(log|det|)", ctx.grad_tensor(0 if stand_in else 1))
    text = "{0} · {1}⁻ᵀ"
    return _matrix(text, text, [grad, a], lambda g, av: _batched(g) * inverse_t(av))


# -- Cholesky -------------------------------------------------------------------------------------------------------


def _cholesky_gradient(key: str) -> Callable[[Ctx], Expr]:
    def grad(ctx: Ctx) -> Expr:
        upper = bool(ctx.raw("upper"))
        factor = Sym(ctx.output_label(), ctx.tensor(key))

        def value(g: Tensor, f: Tensor) -> Tensor:
            low, gl = (f.mT, g.mT) if upper else (f, g)
            m = (low.mT @ gl).tril()
            phi = 0.5 * (m + m.tril(-1).mT)
            out = torch.linalg.solve_triangular(low.mT, phi, upper=True, left=True)
            return torch.linalg.solve_triangular(low, out, upper=False, left=False)

        text = "½ · {1}⁻¹ · Φ({1} · {0}ᵀ) · {1}⁻ᵀ" if upper else "½ · {1}⁻ᵀ · Φ({1}ᵀ · {0}) · {1}⁻¹"
        return _matrix(text, text, [ctx.grad, factor], value)

    return grad


# -- eigenvalues and singular values ------------------------------------------------------------------------------


def _eigh_gradient(ctx: Ctx) -> Expr:
    values, vectors = _named(ctx, "eigenvalues", "λ"), _named(ctx, "eigenvectors", "V")
    g_values, g_vectors = _received(ctx, 0, "λ"), _received(ctx, 1, "V")
    if g_values is None and g_vectors is None:
        ctx.grad_tensor(0)  # (raises Missing: the node received nothing)

    def value(lam: Tensor, v: Tensor, gl: Tensor | None, gv: Tensor | None) -> Tensor:
        inner = torch.zeros(v.shape, dtype=torch.float64)
        if gv is not None:
            vtgv = v.mT @ gv
            skew = 0.5 * (vtgv - vtgv.mT)
            gap = lam.unsqueeze(-2) - lam.unsqueeze(-1)  # [i, j] = λⱼ - λᵢ
            gap.diagonal(0, -2, -1).fill_(1.0)
            inner = skew / gap
        if gl is not None:
            inner = inner.clone()
            inner.diagonal(0, -2, -1).copy_(gl)
        return v @ inner @ v.mT

    if g_vectors is None:
        text = "{1} · diag({2}) · {1}ᵀ"
        assert g_values is not None
        nums = "λ = {0} → …"
        return _matrix(text, text, [values, vectors, g_values], lambda lam, v, gl: value(lam, v, gl, None), nums)
    gaps = Sym("F", _gaps_inverse(values.value(), squared=False))
    inner_en = "F ⊙ ½({1}ᵀ·{2} - {2}ᵀ·{1})"
    if g_values is None:
        text = f"{{1}} · ({inner_en}) · {{1}}ᵀ"
        args: list[Expr] = [values, vectors, g_vectors, gaps]
        return _matrix(text, text, args, lambda lam, v, gv, f: value(lam, v, None, gv), "λ = {0}, F = {3} → …")
    text = f"{{1}} · (diag({{3}}) + {inner_en}) · {{1}}ᵀ"
    args = [values, vectors, g_vectors, g_values, gaps]
    return _matrix(text, text, args, lambda lam, v, gv, gl, f: value(lam, v, gl, gv), "λ = {0}, F = {4} → …")


def _svd_value(full: bool) -> Callable[..., Tensor]:
    """svd_backward: A = U·diag(S)·Vh, the gradients of the three (None: not received), with skew(M) = M - Mᵀ and
    Fᵢⱼ = 1/(sⱼ² - sᵢ²)."""

    def value(u: Tensor, s: Tensor, vh: Tensor, gu: Tensor | None, gs: Tensor | None, gvh: Tensor | None) -> Tensor:
        k = s.shape[-1]
        if full:  # (only the first k columns of U and rows of Vh depend on A)
            u, vh = u[..., :k], vh[..., :k, :]
            gu = None if gu is None else gu[..., :k]
            gvh = None if gvh is None else gvh[..., :k, :]
        m, n = u.shape[-2], vh.shape[-1]
        if gu is None and gvh is None:
            zeros = torch.zeros(s.shape, dtype=torch.float64)
            return u @ torch.diag_embed(zeros if gs is None else gs) @ vh
        squares = s * s
        gap = squares.unsqueeze(-2) - squares.unsqueeze(-1)  # [j, k] = sₖ² - sⱼ²
        gap.diagonal(0, -2, -1).fill_(1.0)
        inner = torch.zeros(gap.shape, dtype=torch.float64)
        if gu is not None:
            utgu = u.mT @ gu
            inner = inner + (utgu - utgu.mT) * s.unsqueeze(-2)
        if gvh is not None:
            vtgv = vh @ gvh.mT
            inner = inner + s.unsqueeze(-1) * (vtgv - vtgv.mT)
        inner = inner / gap
        if gs is not None:
            inner = inner + torch.diag_embed(gs)
        if m > n and gu is not None:
            out = u @ inner
            gu_s = gu / s.unsqueeze(-2)
            return (out + gu_s - u @ (u.mT @ gu_s)) @ vh
        if m < n and gvh is not None:
            out = inner @ vh
            s_gvh = gvh / s.unsqueeze(-1)
            return u @ (out + s_gvh - (s_gvh @ vh.mT) @ vh)
        return u @ inner @ vh

    return value


def _svd_gradient(ctx: Ctx) -> Expr:
    full = bool(ctx.raw("full_matrices"))
    u, s, vh = _named(ctx, "U", "U"), _named(ctx, "S", "S"), _named(ctx, "Vh", "Vh")
    gu, gs, gvh = _received(ctx, 0, "U"), _received(ctx, 1, "S"), _received(ctx, 2, "Vh")
    if gu is None and gs is None and gvh is None:
        ctx.grad_tensor(0)  # (raises Missing: the node received nothing)
    args: list[Expr] = [u, s, vh]
    names = {}
    for key, held in (("gu", gu), ("gs", gs), ("gvh", gvh)):
        if held is not None:
            names[key] = f"{{{len(args)}}}"
            args.append(held)
    if gu is None and gvh is None:
        text = f"{{0}} · diag({names['gs']}) · {{2}}"
    else:
        parts = []
        if gu is not None:
            parts.append(f"skew({{0}}ᵀ·{names['gu']})·{{1}}")
        if gvh is not None:
            parts.append(f"{{1}}·skew({{2}}·{names['gvh']}ᵀ)")
        middle = "F ⊙ (" + " + ".join(parts) + ")" if len(parts) > 1 else "F ⊙ " + parts[0]
        if gs is not None:
            middle += f" + diag({names['gs']})"
        text = f"{{0}} · ({middle}) · {{2}}"
        m, n = u.value().shape[-2], vh.value().shape[-1]
        if m > n and gu is not None:
            text += f" + (I - {{0}}·{{0}}ᵀ)·{names['gu']}·{{1}}⁻¹·{{2}}"
        if m < n and gvh is not None:
            text += f" + {{0}}·{{1}}⁻¹·{names['gvh']}·(I - {{2}}ᵀ·{{2}})"
    compute = _svd_value(full)
    nums = "S = {1} → …"
    if gu is not None or gvh is not None:
        nums = f"S = {{1}}, F = {{{len(args)}}} → …"
        args.append(Sym("F", _gaps_inverse(s.value(), squared=True)))

    def value(*values: Tensor) -> Tensor:
        found = dict(zip(["u", "s", "vh", *names], values, strict=False))
        return compute(found["u"], found["s"], found["vh"], found.get("gu"), found.get("gs"), found.get("gvh"))

    return _matrix(text, text, args, value, nums)


# -- QR ----------------------------------------------------------------------------------------------------------------


def _qr_gradient(ctx: Ctx) -> Expr:
    q, r = _named(ctx, "Q", "Q"), _named(ctx, "R", "R")
    gq, gr = _received(ctx, 0, "Q"), _received(ctx, 1, "R")
    if gq is None and gr is None:
        ctx.grad_tensor(0)  # (raises Missing: the node received nothing)
    m, n = q.value().shape[-2], r.value().shape[-1]
    args: list[Expr] = [q, r]
    gq_name = gr_name = ""
    if gq is not None:
        gq_name = f"{{{len(args)}}}"
        args.append(gq)
    if gr is not None:
        gr_name = f"{{{len(args)}}}"
        args.append(gr)
    # M = grad(R)·Rᵀ - Qᵀ·grad(Q), with the terms of the gradients received
    terms = ([f"{gr_name}·{{1}}ᵀ"] if gr is not None else []) + ([f"{{0}}ᵀ·{gq_name}"] if gq is not None else [])
    m_text = " - ".join(terms) if gr is not None else "-" + terms[0]
    if m >= n:
        text = f"({{0}} · Ψ({m_text})" + (f" + {gq_name}" if gq is not None else "") + ") · {1}⁻ᵀ"
    else:
        text = "[{0} · tril(N - Nᵀ) · {1}₁⁻ᵀ, 0]" + (f" + {{0}} · {gr_name}" if gr is not None else "")
        text += f", N = -({m_text})"

    def value(*values: Tensor) -> Tensor:
        qv, rv = values[0], values[1]
        rest = list(values[2:])
        gqv = rest.pop(0) if gq is not None else None
        grv = rest.pop(0) if gr is not None else None
        ga = torch.zeros((*qv.shape[:-2], rv.shape[-2], rv.shape[-2]), dtype=torch.float64)
        if grv is not None:
            ga = ga + grv @ rv.mT
        if gqv is not None:
            ga = ga - qv.mT @ gqv
        if m >= n:
            upper = ga.triu()
            sym = upper + upper.mT
            sym.diagonal(0, -2, -1).mul_(0.5)
            out = qv @ sym
            if gqv is not None:
                out = out + gqv
            return torch.linalg.solve_triangular(rv.mT, out, upper=False, left=False)
        skew = (-ga - (-ga).mT).tril()
        out = torch.linalg.solve_triangular(rv[..., :m].mT, qv @ skew, upper=False, left=False)
        out = torch.cat([out, torch.zeros((*out.shape[:-1], n - m), dtype=torch.float64)], dim=-1)
        if grv is not None:
            out = out + qv @ grv
        return out

    return _matrix(text, text, args, value, "R = {1} → …")


# -- matrix exponential, pseudo-inverse, least squares ------------------------------------------------------------


def _matrix_exp_gradient(ctx: Ctx) -> Expr:
    def value(g: Tensor, a: Tensor) -> Tensor:
        n = a.shape[-1]
        block = torch.zeros((*a.shape[:-2], 2 * n, 2 * n), dtype=torch.float64)
        block[..., :n, :n] = a.mT
        block[..., n:, n:] = a.mT
        block[..., :n, n:] = g
        return torch.linalg.matrix_exp(block)[..., :n, n:]

    text = "exp([[{1}ᵀ, {0}], [0, {1}ᵀ]]) (upper-right block)"
    ko = "exp([[{1}ᵀ, {0}], [0, {1}ᵀ]])의 오른쪽 위 블록"
    return _matrix(text, ko, [ctx.grad, ctx.sym("self")], value)


def _pinv_value(g: Tensor, p: Tensor, a: Tensor) -> Tensor:
    """The gradient of P = A⁺ for grad g: -Pᵀ·g·Pᵀ + (I - A·P)·gᵀ·P·Pᵀ + Pᵀ·P·gᵀ·(I - P·A)."""
    left = _eye(a.shape[-2]) - a @ p
    right = _eye(a.shape[-1]) - p @ a
    return -(p.mT @ g @ p.mT) + left @ g.mT @ p @ p.mT + p.mT @ p @ g.mT @ right


PINV_TEXT = "-{1}ᵀ·{0}·{1}ᵀ + (I - {2}·{1})·{0}ᵀ·{1}·{1}ᵀ + {1}ᵀ·{1}·{0}ᵀ·(I - {1}·{2})"


def _pinv_gradient(ctx: Ctx) -> Expr:
    p = Sym(ctx.output_label(), ctx.tensor("result"))
    return _matrix(PINV_TEXT, PINV_TEXT, [ctx.grad, p, ctx.sym("self")], _pinv_value, f"{p.label} = {{1}} → …")


def _lstsq_gradient(which: str) -> Callable[[Ctx], Expr]:
    """X = A⁺·B: B gets A⁺ᵀ·grad; A gets the pseudo-inverse's gradient for grad·Bᵀ (plus the residuals' terms)."""

    def grad(ctx: Ctx) -> Expr:
        a, b = ctx.sym("self"), ctx.sym("b")
        gx, gres = _received(ctx, 0, "X"), _received(ctx, 1, "res")
        if gres is not None and gres.value().numel() == 0:
            gres = None
        if gx is None and gres is None:
            ctx.grad_tensor(0)  # (raises Missing: the node received nothing)
        x = Sym("X", ctx.tensor("solution"))
        vector = _vector_rhs(a.value(), b.value())

        def value(av: Tensor, bv: Tensor, xv: Tensor, gxv: Tensor | None, grv: Tensor | None) -> Tensor:
            bm = bv.unsqueeze(-1) if vector else bv
            xm = xv.unsqueeze(-1) if vector else xv
            pinv = torch.linalg.pinv(av)
            out = torch.zeros(av.shape if which == "A" else bm.shape, dtype=torch.float64)
            if gxv is not None:
                gm = gxv.unsqueeze(-1) if vector else gxv
                out = out + (_pinv_value(gm @ bm.mT, pinv, av) if which == "A" else pinv.mT @ gm)
            if grv is not None:
                r = av @ xm - bm
                term = 2 * (grv.unsqueeze(-2) * r)
                out = out + (term @ xm.mT if which == "A" else -term)
            return out.squeeze(-1) if which == "B" and vector else out

        args: list[Expr] = [a, b, x]
        if which == "A":
            parts = ["pinv′({0}⁺; {3}·{1}ᵀ)"] if gx is not None else []
        else:
            parts = ["{0}⁺ᵀ·{3}"] if gx is not None else []
        if gx is not None:
            args.append(gx)
        if gres is not None:
            name = f"{{{len(args)}}}"
            args.append(gres)
            parts.append(
                f"2·({name}·({{0}}·{{2}} - {{1}}))·{{2}}ᵀ" if which == "A" else f"-2·{name}·({{0}}·{{2}} - {{1}})"
            )
        text = " + ".join(parts)

        def computed(*values: Tensor) -> Tensor:
            av, bv, xv = values[:3]
            rest = list(values[3:])
            gxv = rest.pop(0) if gx is not None else None
            grv = rest.pop(0) if gres is not None else None
            return value(av, bv, xv, gxv, grv)

        return _back(ctx, 0 if which == "A" else 1, _matrix(text, text, args, computed, "X = {2} → …"))

    return grad


# -- the rules -------------------------------------------------------------------------------------------------------

SOLVE_WORDS: Words = (
    "{y} solves {A}·{y} = {B} (or {y}·{A} = {B}), that is {y} = {A}⁻¹·{B}. Backward solves the same system once more, "
    "transposed: {B} gets {A}⁻ᵀ·grad (no inverse is formed), and {A} gets minus that times {y}ᵀ. A nearly singular "
    "{A} makes both large.",
    "{y}에는 {A}·{y} = {B}(또는 {y}·{A} = {B})의 해, 즉 {A}⁻¹·{B}의 값이 들어 있습니다. 역전파는 같은 연립방정식을 "
    "전치해서 한 번 더 풉니다. {B}에는 {A}⁻ᵀ·grad가 전달되고(역행렬을 직접 만들지 않습니다), {A}에는 그 값에 "
    "{y}ᵀ를 곱하고 부호를 바꾼 값이 전달됩니다. 특이 행렬에 가까운 행렬이면 두 그래디언트 모두 커집니다.",
)
INV_WORDS: Words = (
    "From A·A⁻¹ = I, a small change dA changes the inverse by -A⁻¹·dA·A⁻¹; the chain rule turns this around: "
    "{A} gets -{y}ᵀ · grad · {y}ᵀ (matrix products).",
    "A·A⁻¹ = I에서, A가 dA만큼 바뀌면 역행렬은 -A⁻¹·dA·A⁻¹만큼 바뀝니다. 연쇄 법칙으로 이를 거꾸로 쓰면 "
    "{A}에는 -{y}ᵀ · grad · {y}ᵀ(행렬 곱)가 전달됩니다.",
)
DET_WORDS: Words = (
    "Jacobi's formula: ∂det(A)/∂A = det(A)·A⁻ᵀ (entry by entry, the cofactors), so {A} gets grad · {y} · {A}⁻ᵀ, "
    "with the inverse taken from the LU factors PyTorch saved in the forward pass. For a singular matrix (det = 0) "
    "PyTorch sends 0 here, although the true derivative there (the transposed adjugate) is not 0 when the rank is "
    "n - 1.",
    "야코비 공식에 따르면 ∂det(A)/∂A = det(A)·A⁻ᵀ(원소별로 보면 여인수)이므로, {A}에는 grad · {y} · {A}⁻ᵀ가 "
    "전달됩니다. 역행렬은 PyTorch가 순전파에서 저장한 LU 분해로 구합니다. 특이 행렬(det = 0)이면 PyTorch는 "
    "여기서 0을 보내지만, 계수(rank)가 n - 1일 때의 실제 미분값(수반 행렬의 전치)은 0이 아닙니다.",
)
SLOGDET_WORDS: Words = (
    "When A changes by dA, log|det(A)| changes by tr(A⁻¹·dA), so {A} gets grad(log|det|) · {A}⁻ᵀ (the inverse from "
    "the saved LU factors); the sign is constant piece by piece and sends nothing. At a singular matrix (det = 0) "
    "this is infinite.",
    "A가 dA만큼 바뀌면 log|det(A)|는 tr(A⁻¹·dA)만큼 바뀌므로, {A}에는 grad(log|det|) · {A}⁻ᵀ가 전달됩니다"
    "(역행렬은 저장된 LU 분해로 구함). 부호(sign)는 구간마다 상수라서 그래디언트를 보내지 않습니다. 특이 "
    "행렬(det = 0)에서는 이 값이 무한대가 됩니다.",
)
CHOLESKY_WORDS: Words = (
    "{y} is the triangular factor of the symmetric positive-definite {A} (A = L·Lᵀ, or Uᵀ·U when upper). "
    "Differentiating that product and solving for the change of the factor gives the gradient: two triangular "
    "solves around Φ(M) = tril(M) + tril(M, -1)ᵀ (the lower triangle of M mirrored, the diagonal once), halved. "
    "The result is symmetric: only the symmetric part of {A} matters.",
    "{y}에는 대칭 양의 정부호 행렬 {A}의 삼각 인수가 들어 있습니다(A = L·Lᵀ, upper일 때는 Uᵀ·U). 이 곱을 "
    "미분해 인수의 변화량에 대해 풀면 그래디언트가 나옵니다. Φ(M) = tril(M) + tril(M, -1)ᵀ(M의 아래 삼각을 "
    "대각선은 한 번만 넣고 대칭으로 펼친 것)의 절반을 양쪽에서 삼각 행렬로 푼 값입니다. 결과는 대칭 행렬이며, "
    "{A}의 대칭 부분만 의미가 있습니다.",
)
EIGH_WORDS: Words = (
    "With orthonormal eigenvectors V, an eigenvalue moves by vᵢᵀ·dA·vᵢ, so grad(λ) comes back as "
    "V·diag(grad(λ))·Vᵀ; an eigenvector turns towards the others in proportion to 1/(λⱼ - λᵢ), so the "
    "antisymmetric part of Vᵀ·grad(V) is multiplied entry by entry by F (Fᵢⱼ = 1/(λⱼ - λᵢ) off the diagonal, "
    "0 on it). With repeated or very close eigenvalues F blows up: the eigenvectors are not unique there and their "
    "gradient is meaningless (eigenvalues alone stay fine).",
    "V가 정규 직교 고유벡터일 때 고윳값은 vᵢᵀ·dA·vᵢ만큼 움직이므로, grad(λ)는 V·diag(grad(λ))·Vᵀ로 "
    "돌아옵니다. 고유벡터는 다른 고유벡터 쪽으로 1/(λⱼ - λᵢ)에 비례해 돌아가므로, Vᵀ·grad(V)의 반대칭 부분에 "
    "F(대각선 밖은 Fᵢⱼ = 1/(λⱼ - λᵢ), 대각선은 0)를 원소별로 곱합니다. 고윳값이 겹치거나 아주 가까우면 F가 "
    "발산합니다. 그때는 고유벡터가 하나로 정해지지 않아 그 그래디언트는 의미가 없습니다(고윳값만 쓰면 "
    "괜찮습니다).",
)
SVD_WORDS: Words = (
    "A singular value moves by uᵢᵀ·dA·vᵢ, so grad(S) comes back as U·diag(grad(S))·Vh; the singular vectors turn "
    "towards each other in proportion to F (Fᵢⱼ = 1/(sⱼ² - sᵢ²) off the diagonal), applied to skew(M) = M - Mᵀ "
    "of Uᵀ·grad(U) and Vh·grad(Vh)ᵀ; a matrix that is not square adds the part of grad(U) (or grad(Vh)) outside "
    "the span of U (or Vh), divided by S. With repeated or very close singular values (or a zero one) F (or S⁻¹) "
    "blows up: the vectors are not unique there and their gradient is meaningless; singular values alone stay "
    "fine.",
    "특잇값은 uᵢᵀ·dA·vᵢ만큼 움직이므로 grad(S)는 U·diag(grad(S))·Vh로 돌아옵니다. 특이 벡터들은 "
    "F(대각선 밖은 Fᵢⱼ = 1/(sⱼ² - sᵢ²))에 비례해 서로를 향해 돌아가므로, Uᵀ·grad(U)와 Vh·grad(Vh)ᵀ의 "
    "skew(M) = M - Mᵀ에 F를 원소별로 곱합니다. 정사각 행렬이 아니면 U(또는 Vh)가 덮지 못하는 방향의 "
    "grad(U)(또는 grad(Vh)) 부분을 S로 나눠 더합니다. 특잇값이 겹치거나 아주 가깝거나 0이면 F(또는 S⁻¹)가 "
    "발산합니다. 그때는 특이 벡터가 하나로 정해지지 않아 그 그래디언트는 의미가 없습니다(특잇값만 쓰면 "
    "괜찮습니다).",
)
QR_WORDS: Words = (
    "Q has orthonormal columns and R is upper triangular. Differentiating the product while keeping them so gives, "
    "for a tall or square matrix: (Q·Ψ(M) + grad(Q))·R⁻ᵀ with M = grad(R)·Rᵀ - Qᵀ·grad(Q) and "
    "Ψ(M) = triu(M) + triu(M, 1)ᵀ (the upper triangle mirrored); a wide one uses the first square block R₁ of R. "
    "R must be invertible: a matrix of lower rank has no gradient here.",
    "Q는 정규 직교 열로, R은 위 삼각 행렬로 되어 있습니다. 이 모양을 유지하면서 곱을 미분하면, 세로로 길거나 "
    "정사각인 행렬의 그래디언트는 (Q·Ψ(M) + grad(Q))·R⁻ᵀ입니다. 여기서 M = grad(R)·Rᵀ - Qᵀ·grad(Q), "
    "Ψ(M) = triu(M) + triu(M, 1)ᵀ(위 삼각을 대칭으로 펼친 것)입니다. 가로로 긴 행렬은 R의 앞쪽 정사각 블록 "
    "R₁을 씁니다. R에 역행렬이 있어야 하므로, 계수가 부족한 행렬에서는 그래디언트가 정의되지 않습니다.",
)
MATRIX_EXP_WORDS: Words = (
    "exp(X) = Σ Xᵏ/k!: a change of X enters every power, so the derivative is a whole linear map (the Fréchet "
    "derivative). Its transpose applied to grad is the upper-right n×n block of the exponential of the 2n×2n "
    "block matrix [[{x}ᵀ, grad], [0, {x}ᵀ]] (Mathias 1996), which is how PyTorch computes it.",
    "exp(X) = Σ Xᵏ/k!이므로 X의 변화가 모든 거듭제곱에 들어가고, 미분은 하나의 선형 사상(프레셰 미분)이 됩니다. "
    "이 사상의 전치를 grad에 적용한 값은 2n×2n 블록 행렬 [[{x}ᵀ, grad], [0, {x}ᵀ]]의 지수 함수에서 오른쪽 위 "
    "n×n 블록과 같으며(Mathias 1996), PyTorch도 이렇게 계산합니다.",
)
PINV_WORDS: Words = (
    "The pseudo-inverse P = A⁺ changes with A like an inverse (-P·dA·P) plus two terms for the directions A does "
    "not cover (I - A·P and I - P·A); the chain rule turns these around. It is smooth only while the rank stays "
    "the same: near a change of rank the gradient blows up.",
    "유사 역행렬 P = A⁺는 역행렬처럼 -P·dA·P만큼 변하고, A가 덮지 못하는 방향(I - A·P, I - P·A)에 대한 두 항이 "
    "더해집니다. 연쇄 법칙으로 이를 거꾸로 씁니다. 계수(rank)가 그대로일 때만 매끄럽고, 계수가 바뀌는 "
    "근처에서는 그래디언트가 발산합니다.",
)
LSTSQ_WORDS: Words = (
    "The least-squares solution is X = {A}⁺·{B} (⁺: the pseudo-inverse), so {B} gets {A}⁺ᵀ·grad and {A} gets the "
    "pseudo-inverse's gradient for grad·{B}ᵀ (pinv′: see linalg.pinv); the residuals, when returned and used, add "
    "2·grad(res)·r terms (r = {A}·X - {B}).",
    "최소 제곱 해는 X = {A}⁺·{B}(⁺는 유사 역행렬)이므로, {B}에는 {A}⁺ᵀ·grad가, {A}에는 grad·{B}ᵀ에 대한 유사 "
    "역행렬의 그래디언트(pinv′, linalg.pinv 참고)가 전달됩니다. 잔차(residuals)를 돌려받아 썼다면 "
    "2·grad(res)·r 항(r = {A}·X - {B})이 더해집니다.",
)
CHOLESKY_LOCAL: Words = (
    "grad_{A} = ½·{y}⁻ᵀ·Φ({y}ᵀ·grad)·{y}⁻¹, Φ(M) = tril(M) + tril(M, -1)ᵀ",
    "grad_{A} = ½·{y}⁻ᵀ·Φ({y}ᵀ·grad)·{y}⁻¹, Φ(M) = tril(M) + tril(M, -1)ᵀ",
)


def _cholesky_rule(node: str, key: str) -> Rule:
    return Rule(
        node,
        ("Cholesky factor", "숄레스키 분해"),
        "{y} = cholesky({A})",
        CHOLESKY_LOCAL,
        CHOLESKY_WORDS,
        (Slot("self", "A", _cholesky_gradient(key)),),
        output="L",
    )


add(
    Rule(
        "LinalgSolveExBackward0",
        ("solving a linear system", "연립일차방정식 풀기"),
        "{y} = solve({A}, {B}) = {A}⁻¹·{B}",
        "∂L/∂{B} = {A}⁻ᵀ·grad, ∂L/∂{A} = -{A}⁻ᵀ·grad·{y}ᵀ",
        SOLVE_WORDS,
        (
            Slot("A", "A", lambda c: _solve_gradients(c, "A")),
            Slot("B", "B", lambda c: _solve_gradients(c, "B")),
        ),
        output="X",
    ),
    Rule(
        "LinalgInvExBackward0",
        ("matrix inverse", "역행렬"),
        "{y} = {A}⁻¹",
        "∂L/∂{A} = -{y}ᵀ·grad·{y}ᵀ",
        INV_WORDS,
        (Slot("A", "A", _inverse_gradient),),
    ),
    Rule(
        "LinalgDetBackward0",
        ("determinant", "행렬식"),
        "{y} = det({A})",
        "∂{y}/∂{A} = {y}·{A}⁻ᵀ",
        DET_WORDS,
        (Slot("A", "A", _det_gradient),),
        output="d",
    ),
    Rule(
        "LinalgSlogdetBackward0",
        ("sign and log of the determinant", "행렬식의 부호와 로그"),
        "sign, log|det| = slogdet({A})",
        "∂log|det({A})|/∂{A} = {A}⁻ᵀ",
        SLOGDET_WORDS,
        (Slot("A", "A", _slogdet_gradient),),
    ),
    _cholesky_rule("LinalgCholeskyExBackward0", "L"),
    _cholesky_rule("CholeskyBackward0", "result"),
    Rule(
        "LinalgEighBackward0",
        ("eigendecomposition of a symmetric matrix", "대칭 행렬의 고윳값 분해"),
        "λ, V = eigh({A}), {A} = V·diag(λ)·Vᵀ",
        "grad_{A} = V·(diag(grad(λ)) + F ⊙ ½(Vᵀ·grad(V) - grad(V)ᵀ·V))·Vᵀ, Fᵢⱼ = 1/(λⱼ - λᵢ)",
        EIGH_WORDS,
        (Slot("A", "A", _eigh_gradient),),
    ),
    Rule(
        "LinalgSvdBackward0",
        ("singular value decomposition", "특잇값 분해(SVD)"),
        "U, S, Vh = svd({A}), {A} = U·diag(S)·Vh",
        "grad_{A} = U·(F ⊙ (skew(Uᵀ·grad(U))·S + S·skew(Vh·grad(Vh)ᵀ)) + diag(grad(S)))·Vh, Fᵢⱼ = 1/(sⱼ² - sᵢ²)",
        SVD_WORDS,
        (Slot("A", "A", _svd_gradient),),
    ),
    Rule(
        "LinalgQrBackward0",
        ("QR decomposition", "QR 분해"),
        "Q, R = qr({A}), {A} = Q·R",
        "grad_{A} = (Q·Ψ(grad(R)·Rᵀ - Qᵀ·grad(Q)) + grad(Q))·R⁻ᵀ, Ψ(M) = triu(M) + triu(M, 1)ᵀ",
        QR_WORDS,
        (Slot("A", "A", _qr_gradient),),
    ),
    Rule(
        "LinalgMatrixExpBackward0",
        ("matrix exponential", "행렬 지수 함수"),
        "{y} = exp({x}) = Σ {x}ᵏ/k!",
        (
            "grad_{x} = upper-right block of exp([[{x}ᵀ, grad], [0, {x}ᵀ]])",
            "grad_{x} = exp([[{x}ᵀ, grad], [0, {x}ᵀ]])의 오른쪽 위 블록",
        ),
        MATRIX_EXP_WORDS,
        (Slot("self", "x", _matrix_exp_gradient),),
    ),
    Rule(
        "LinalgPinvBackward0",
        ("pseudo-inverse", "유사 역행렬"),
        "{y} = pinv({x}) = {x}⁺",
        "grad_{x} = -{y}ᵀ·grad·{y}ᵀ + (I - {x}·{y})·gradᵀ·{y}·{y}ᵀ + {y}ᵀ·{y}·gradᵀ·(I - {y}·{x})",
        PINV_WORDS,
        (Slot("self", "x", _pinv_gradient),),
    ),
    Rule(
        "LinalgLstsqBackward0",
        ("least squares", "최소 제곱 해"),
        "X = lstsq({A}, {B}) = {A}⁺·{B}",
        "∂L/∂{B} = {A}⁺ᵀ·grad, ∂L/∂{A} = pinv′({A}⁺; grad·{B}ᵀ)",
        LSTSQ_WORDS,
        (Slot("self", "A", _lstsq_gradient("A")), Slot("b", "B", _lstsq_gradient("B"))),
    ),
)


# -- triangular solve ------------------------------------------------------------------------------------------------


def _solve_triangular(which: str) -> Callable[[Ctx], Expr]:
    """linalg_solve_triangular_backward: as a solve's, with {A}'s gradient kept to the triangle {A} lives in (the
    strict one when its diagonal is taken as ones)."""

    def grad(ctx: Ctx) -> Expr:
        upper, left = bool(ctx.raw("upper")), bool(ctx.raw("left"))
        unit = bool(ctx.raw("unitriangular"))
        a, x = ctx.sym("self"), Sym(ctx.output_label(), ctx.tensor("result"))

        def grad_b(av: Tensor, g: Tensor) -> Tensor:
            return torch.linalg.solve_triangular(av.mT, g, upper=not upper, left=left, unitriangular=unit)

        if which == "B":
            text = "{0}⁻ᵀ · {1}" if left else "{1} · {0}⁻ᵀ"
            return _back(ctx, 1, _matrix(text, text, [a, ctx.grad], grad_b))

        def grad_a(av: Tensor, g: Tensor, xv: Tensor) -> Tensor:
            gb = grad_b(av, g)
            full = -(gb @ xv.mT) if left else -(xv.mT @ gb)
            return full.triu(int(unit)) if upper else full.tril(-int(unit))

        part = "triu" if upper else "tril"
        offset = (", 1" if upper else ", -1") if unit else ""
        inner = "-{0}⁻ᵀ · {1} · {2}ᵀ" if left else "-{2}ᵀ · {1} · {0}⁻ᵀ"
        text = f"{part}({inner}{offset})"
        return _back(ctx, 0, _matrix(text, text, [a, ctx.grad, x], grad_a))

    return grad


add(
    Rule(
        "LinalgSolveTriangularBackward0",
        ("solving a triangular system", "삼각 연립방정식 풀기"),
        "{y} = solve_triangular({A}, {B}) = {A}⁻¹·{B}",
        (
            "∂L/∂{B} = {A}⁻ᵀ·grad, ∂L/∂{A} = triangle of (-{A}⁻ᵀ·grad·{y}ᵀ)",
            "∂L/∂{B} = {A}⁻ᵀ·grad, ∂L/∂{A} = (-{A}⁻ᵀ·grad·{y}ᵀ)의 삼각 부분",
        ),
        (
            "As for any linear system, {B} gets {A}⁻ᵀ·grad (one more triangular solve) and {A} gets minus that times "
            "{y}ᵀ, but only on the triangle {A} was read from (the entries outside it, and the diagonal when it is "
            "taken as ones, were never used, so they get 0).",
            "다른 연립방정식처럼 {B}에는 {A}⁻ᵀ·grad(삼각 행렬로 한 번 더 푼 값)가, {A}에는 그 값에 {y}ᵀ를 곱하고 "
            "부호를 바꾼 값이 전달됩니다. 다만 {A}에서 실제로 읽은 삼각 부분에만 전달되고, 그 밖의 원소(대각선을 "
            "1로 본 경우에는 대각선도)는 쓰이지 않았으므로 0을 받습니다.",
        ),
        (Slot("self", "A", _solve_triangular("A")), Slot("B", "B", _solve_triangular("B"))),
        output="X",
    ),
)


def _cholesky_solve(which: str) -> Callable[[Ctx], Expr]:
    """cholesky_solve_backward: X = (L·Lᵀ)⁻¹·B (or (Uᵀ·U)⁻¹·B): B gets (L·Lᵀ)⁻¹·grad, one more pair of triangular
    solves; L gets -(G + Gᵀ)·L with G = grad_B·Xᵀ (-U·(G + Gᵀ) when upper)."""

    def grad(ctx: Ctx) -> Expr:
        upper = bool(ctx.raw("upper"))
        factor, x = ctx.sym("input2"), Sym(ctx.output_label(), ctx.tensor("result"))

        def grad_b(f: Tensor, g: Tensor) -> Tensor:
            return torch.cholesky_solve(g, f, upper=upper)

        if which == "B":
            text = "({0}ᵀ·{0})⁻¹ · {1}" if upper else "({0}·{0}ᵀ)⁻¹ · {1}"
            return _back(ctx, 0, _matrix(text, text, [factor, ctx.grad], grad_b))

        def grad_factor(f: Tensor, g: Tensor, xv: Tensor) -> Tensor:
            common = grad_b(f, g) @ xv.mT
            common = common + common.mT
            return -(f @ common) if upper else -(common @ f)

        text = "-{0} · (G + Gᵀ)" if upper else "-(G + Gᵀ) · {0}"
        text += ", G = ({0}ᵀ·{0})⁻¹·{1}·{2}ᵀ" if upper else ", G = ({0}·{0}ᵀ)⁻¹·{1}·{2}ᵀ"
        return _back(ctx, 1, _matrix(text, text, [factor, ctx.grad, x], grad_factor))

    return grad


add(
    Rule(
        "CholeskySolveBackward0",
        ("solving with a Cholesky factor", "숄레스키 인수로 연립방정식 풀기"),
        "{y} = cholesky_solve({B}, {L}) = ({L}·{L}ᵀ)⁻¹·{B}",
        "∂L/∂{B} = ({L}·{L}ᵀ)⁻¹·grad, ∂L/∂{L} = -(G + Gᵀ)·{L}",
        (
            "{y} solves A·{y} = {B} with A = {L}·{L}ᵀ (Uᵀ·U when upper). As for any solve, {B} gets A⁻¹·grad (A is "
            "symmetric, so no transpose); A would get -G with G = A⁻¹·grad·{y}ᵀ, and through A = {L}·{L}ᵀ the factor "
            "gets -(G + Gᵀ)·{L}.",
            "{y}에는 A = {L}·{L}ᵀ(upper일 때는 Uᵀ·U)로 A·{y} = {B}의 해가 들어 있습니다. 다른 연립방정식처럼 "
            "{B}에는 A⁻¹·grad가 전달되고(A가 대칭이므로 전치가 없음), A가 받을 값은 -G(G = A⁻¹·grad·{y}ᵀ)이며, "
            "A = {L}·{L}ᵀ를 거쳐 인수에는 -(G + Gᵀ)·{L}의 값이 전달됩니다.",
        ),
        (Slot("self", "B", _cholesky_solve("B")), Slot("input2", "L", _cholesky_solve("L"))),
        output="X",
    ),
)


# -- LU factors, solving with them, a general (complex) eigendecomposition ------------------------------------------


def _lu_parts(ctx: Ctx) -> tuple[Tensor, Tensor, Tensor]:
    """P, L, U of the saved packed LU factors (`A = P·L·U`)."""
    return torch.lu_unpack(ctx.tensor("LU"), ctx.tensor("pivots").to(torch.int32))


def _to_lu(ga: Tensor, p: Tensor, lower: Tensor, upper: Tensor) -> Tensor:
    """A gradient with respect to A = P·L·U, as the gradient of the packed factors: L's strict lower triangle
    (tril(Pᵀ·gA·Uᵀ, -1)) and U's upper one (triu(Lᵀ·Pᵀ·gA))."""
    moved = p.mT @ ga
    return (moved @ upper.mT).tril(-1) + (lower.mT @ moved).triu()


def _lu_factor_value(ctx: Ctx) -> Callable[[Tensor], Tensor]:
    """lu_factor_ex_backward: linalg.lu's gradient (`_lu_value`) with L's part of the packed grad (its first k
    columns) and U's (its first k rows), k = min(m, n); square: gA = P·L⁻ᵀ·(tril(Lᵀ·grad, -1) + triu(grad·Uᵀ))·U⁻ᵀ."""
    p, lower, upper = _lu_parts(ctx)
    k = min(lower.shape[-2], upper.shape[-1])

    def value(g: Tensor) -> Tensor:
        return p @ _lu_value(lower, upper, g[..., :, :k], g[..., :k, :])

    return value


def _lu_factor_text(ctx: Ctx) -> str:
    lu = ctx.tensor("LU")
    m, n = lu.shape[-2], lu.shape[-1]
    if m == n:
        return "P·L⁻ᵀ·(tril(Lᵀ·{0}, -1) + triu({0}·Uᵀ))·U⁻ᵀ"
    k = min(m, n)
    parts = (f"{{0}}[:, :{k}]", "{0}") if m < n else ("{0}", f"{{0}}[:{k}]")  # (grad's parts for L and for U)
    return "P·" + LU_TEXTS["wide" if m < n else "tall"].format(*parts)


def _lu_factor_gradient(ctx: Ctx) -> Expr:
    text = _lu_factor_text(ctx)
    return _matrix(text, text, [ctx.grad], _lu_factor_value(ctx))


def _lu_factor_params(ctx: Ctx) -> dict[str, str]:
    lu = ctx.tensor("LU")
    m, n = lu.shape[-2], lu.shape[-1]
    shape = "square" if m == n else "wide" if m < n else "tall"
    words = LU_SHAPE_WORDS[shape]
    a = ctx.label(0, "A")
    return {
        "formula": _lu_factor_text(ctx).format("grad"),
        "shape_en": words[0].replace("{A}", a),
        "shape_ko": words[1].replace("{A}", a),
    }


def _lu_solve_value(ctx: Ctx, which: str) -> Callable[[Tensor, Tensor], Tensor]:
    """linalg_lu_solve's gradients: with A = P·L·U, B's is a solve with Aᵀ in place of A (A for adjoint=True), on
    the side the system had; LU's is A's gradient (as a solve's: -A⁻ᵀ·grad·Xᵀ for A·X = B) as the factors'."""
    p, lower, upper = _lu_parts(ctx)
    a = p @ lower @ upper
    left, adjoint = bool(ctx.raw("left")), bool(ctx.raw("adjoint"))
    inverse = _inverse(a)
    solve_with = inverse if adjoint else inverse.mT  # (the matrix grad_B is multiplied by)

    def grad_b(g: Tensor) -> Tensor:
        return solve_with @ g if left else g @ solve_with

    def value(g: Tensor, x: Tensor) -> Tensor:
        gb = grad_b(g)
        ga = {
            (True, False): lambda: -(gb @ x.mT),
            (True, True): lambda: -(x @ gb.mT),
            (False, False): lambda: -(x.mT @ gb),
            (False, True): lambda: -(gb.mT @ x),
        }[(left, adjoint)]()
        return _to_lu(ga, p, lower, upper) if which == "LU" else gb

    return value


def _lu_solve_gradient(which: str) -> Callable[[Ctx], Expr]:
    def grad(ctx: Ctx) -> Expr:
        left, adjoint = bool(ctx.raw("left")), bool(ctx.raw("adjoint"))
        a = "A⁻¹" if adjoint else "A⁻ᵀ"
        gb = f"{a}·{{0}}" if left else f"{{0}}·{a}"
        x = Sym(ctx.output_label(), ctx.tensor("result"))
        if which == "B":
            return _back(ctx, 1, _matrix(gb, gb, [ctx.grad, x], _lu_solve_value(ctx, "B")))
        ga = {
            (True, False): f"-({gb})·{{1}}ᵀ",
            (True, True): f"-{{1}}·({gb})ᵀ",
            (False, False): f"-{{1}}ᵀ·({gb})",
            (False, True): f"-({gb})ᵀ·{{1}}",
        }[(left, adjoint)]
        text = f"tril(Pᵀ·G·Uᵀ, -1) + triu(Lᵀ·Pᵀ·G), G = {ga}"
        return _matrix(text, text, [ctx.grad, x], _lu_solve_value(ctx, "LU"))

    return grad


def _eig_gradient(ctx: Ctx) -> Expr:
    from ..node import COMPLEX
    from .special import Unknown

    text = "V⁻ᴴ·(diag(grad(λ)) + (Vᴴ·grad(V) - Vᴴ·V·Re diag(Vᴴ·grad(V))) / conj(λⱼ - λᵢ))·Vᴴ"
    return Unknown(text, text, COMPLEX)


add(
    Rule(
        "LinalgLuFactorExBackward0",
        ("LU factorization", "LU 분해"),
        (
            "LU, pivots = lu_factor({A}), {A} = P·L·U (L and U packed into one matrix)",
            "LU, pivots = lu_factor({A}), {A} = P·L·U (L과 U를 한 행렬에 함께 저장)",
        ),
        "grad_{A} = {formula}",
        (
            "L (ones on its diagonal, not stored) and U share one matrix: grad's strict lower triangle belongs to L, "
            "the rest to U. A change dA of {A} changes them by L·(L⁻¹·dA·U⁻¹ below the diagonal) and (the same, "
            "on and above it)·U; turning this around gives {A}'s gradient: both triangles brought back through "
            "L⁻ᵀ and U⁻ᵀ (triangular solves), then the row swaps P undone.{shape_en}",
            "L(대각선은 1이라 저장하지 않음)과 U는 한 행렬에 함께 들어 있습니다. grad의 대각선 아래는 L의 몫, 나머지는 "
            "U의 몫입니다. {A}가 dA만큼 바뀌면 L⁻¹·dA·U⁻¹의 대각선 아래 부분은 L을, 대각선과 그 위 부분은 U를 "
            "바꿉니다. 이를 거꾸로 따라가면 {A}의 그래디언트가 됩니다. 두 삼각형을 L⁻ᵀ와 U⁻ᵀ로 (삼각 행렬 풀이로) "
            "되돌린 뒤, 행 교환 P를 되돌립니다.{shape_ko}",
        ),
        (Slot("A", "A", _lu_factor_gradient),),
        params=_lu_factor_params,
        first_output=True,
    ),
    Rule(
        "LinalgLuSolveBackward0",
        ("solving a linear system with LU factors", "LU 분해로 연립방정식 풀기"),
        "{y} = lu_solve(LU, pivots, {B}) = A⁻¹·{B}, A = P·L·U",
        (
            "∂L/∂{B} = A⁻ᵀ·grad, ∂L/∂A = -A⁻ᵀ·grad·{y}ᵀ, passed on to L and U",
            "∂L/∂{B} = A⁻ᵀ·grad, ∂L/∂A = -A⁻ᵀ·grad·{y}ᵀ (이 값을 L과 U에 나눠 줌)",
        ),
        (
            "As for any linear solve, {B} gets the same system solved once more, transposed (A⁻ᵀ·grad), and A gets "
            "minus that times {y}ᵀ. A is not an input here but its factors are, so A's gradient is passed on to them "
            "as for lu_factor: L takes the strict lower triangle of Pᵀ·G·Uᵀ, U the upper one of Lᵀ·Pᵀ·G.",
            "여느 연립방정식 풀이처럼 {B}는 같은 방정식을 전치해서 한 번 더 푼 값(A⁻ᵀ·grad)을, A는 거기에 {y}ᵀ를 "
            "곱하고 부호를 바꾼 값을 받습니다. 여기서는 A 대신 그 분해 인수가 입력이므로, A의 그래디언트를 "
            "lu_factor처럼 인수에 나눠 줍니다. L은 Pᵀ·G·Uᵀ의 대각선 아래 부분을, U는 Lᵀ·Pᵀ·G의 대각선과 그 위 "
            "부분을 받습니다.",
        ),
        (
            Slot("LU", "LU", _lu_solve_gradient("LU")),
            Slot("B", "B", _lu_solve_gradient("B")),
        ),
        output="X",
    ),
    Rule(
        "LinalgEigBackward0",
        ("eigendecomposition (general matrix)", "고윳값 분해(일반 행렬)"),
        "λ, V = eig({A}), {A} = V·diag(λ)·V⁻¹",
        "grad_{A} = V⁻ᴴ·(diag(grad(λ)) + (Vᴴ·grad(V) - Vᴴ·V·Re diag(Vᴴ·grad(V))) / conj(λⱼ - λᵢ))·Vᴴ",
        (
            "As for a symmetric matrix, each eigenvalue takes grad(λ) straight back, and the eigenvectors' gradient "
            "is divided by the gaps between eigenvalues (close eigenvalues make it large). A real matrix can have "
            "complex eigenvalues, so λ and V are complex, and for a real {A} the real part of the result is kept.",
            "대칭 행렬일 때처럼 각 고윳값은 grad(λ)를 그대로 돌려보내고, 고유벡터 쪽 그래디언트는 고윳값 사이의 "
            "차이로 나눕니다(고윳값이 가까우면 커집니다). 실수 행렬도 고윳값이 복소수일 수 있으므로 λ와 V는 "
            "복소수이고, {A}가 실수이면 결과의 실수부만 남깁니다.",
        ),
        (Slot("self", "A", _eig_gradient),),
    ),
)


# -- a product of Householder reflections ----------------------------------------------------------------------------


def _householder(ctx: Ctx) -> tuple[Tensor, Tensor]:
    """householder_product's gradients, by the product rule: Q = H₀·H₁·…·H_(k-1) (its first n columns), with
    Hᵢ = I - τᵢ·vᵢ·vᵢᵀ and vᵢ = (0, …, 0, 1, V[i+1:, i]). With Mᵢ = (H₀…H_(i-1))ᵀ·grad·(H_(i+1)…H_(k-1))ᵀ (grad
    padded with zero columns to m × m): grad τᵢ = -vᵢᵀ·Mᵢ·vᵢ, grad vᵢ = -τᵢ·(Mᵢ + Mᵢᵀ)·vᵢ, of which V takes the
    entries below the diagonal."""
    v_in, tau, g = ctx.tensor("input"), ctx.tensor("tau"), ctx.grad_tensor(0)
    m, k = v_in.shape[0], tau.shape[0]
    eye = _eye(m)
    vectors = []
    for i in range(k):
        v = torch.zeros(m, dtype=torch.float64)
        v[i], v[i + 1 :] = 1.0, v_in[i + 1 :, i]
        vectors.append(v)
    reflections = [eye - tau[i] * torch.outer(vectors[i], vectors[i]) for i in range(k)]
    padded = torch.zeros(m, m, dtype=torch.float64)
    padded[:, : g.shape[1]] = g
    grad_v, grad_tau = torch.zeros_like(v_in), torch.zeros_like(tau)
    before = eye
    for i in range(k):
        after = eye
        for reflection in reflections[i + 1 :]:
            after = after @ reflection
        inner = before.mT @ padded @ after.mT
        grad_tau[i] = -(vectors[i] @ inner @ vectors[i])
        grad_v[i + 1 :, i] = (-tau[i] * (inner + inner.mT) @ vectors[i])[i + 1 :]
        before = before @ reflections[i]
    return grad_v, grad_tau


def _householder_slot(which: int, en: str, ko: str) -> Callable[[Ctx], Expr]:
    def grad(ctx: Ctx) -> Expr:
        tau = ctx.label(1, "τ")
        return Form(
            en.replace("τ", tau), ko.replace("τ", tau), [ctx.grad], lambda _: _householder(ctx)[which], evaluated=True
        )

    return grad


add(
    Rule(
        "LinalgHouseholderProductBackward0",
        ("product of Householder reflections", "하우스홀더 반사의 곱"),
        (
            "{y} = H₀·H₁·…·H_(k-1) (first n columns), Hᵢ = I - {τ}ᵢ·vᵢ·vᵢᵀ, vᵢ = (0, …, 1, {V}[i+1:, i])",
            "{y} = H₀·H₁·…·H_(k-1)의 앞쪽 n개 열, Hᵢ = I - {τ}ᵢ·vᵢ·vᵢᵀ, vᵢ = (0, …, 1, {V}[i+1:, i])",
        ),
        "∂L/∂{τ}ᵢ = -vᵢᵀ·Mᵢ·vᵢ, ∂L/∂vᵢ = -{τ}ᵢ·(Mᵢ + Mᵢᵀ)·vᵢ, Mᵢ = (H₀…H_(i-1))ᵀ·grad·(H_(i+1)…)ᵀ",
        (
            "{y} is a product of reflections, so by the product rule each reflection Hᵢ sees grad brought to it "
            "through the reflections before and after it (Mᵢ). Hᵢ = I - {τ}ᵢ·vᵢ·vᵢᵀ then sends -vᵢᵀ·Mᵢ·vᵢ to "
            "{τ}ᵢ and -{τ}ᵢ·(Mᵢ + Mᵢᵀ)·vᵢ to vᵢ, whose entries below the diagonal are {V}'s (the 1 and the zeros "
            "above are fixed and get nothing).",
            "{y}는 반사 행렬들의 곱이므로, 곱의 미분법에 따라 각 반사 Hᵢ는 앞뒤의 반사를 거쳐 온 grad(Mᵢ)를 봅니다. "
            "Hᵢ = I - {τ}ᵢ·vᵢ·vᵢᵀ는 {τ}ᵢ에 -vᵢᵀ·Mᵢ·vᵢ를, vᵢ에 -{τ}ᵢ·(Mᵢ + Mᵢᵀ)·vᵢ를 보냅니다. vᵢ에서 대각선 "
            "아래 원소가 {V}의 값이고, 1과 그 위의 0은 고정값이라 아무것도 받지 않습니다.",
        ),
        (
            Slot(
                "input",
                "V",
                _householder_slot(
                    0,
                    "-τᵢ·(Mᵢ + Mᵢᵀ)·vᵢ below the diagonal of each column i",
                    "열 i마다 -τᵢ·(Mᵢ + Mᵢᵀ)·vᵢ의 대각선 아래 부분",
                ),
            ),
            Slot("tau", "τ", _householder_slot(1, "-vᵢᵀ·Mᵢ·vᵢ", "-vᵢᵀ·Mᵢ·vᵢ")),
        ),
        output="Q",
        supports=lambda c: c.tensor("input").dim() == 2,
    ),
)


# -- triangular_solve, cholesky_inverse, linalg.lu, lu_unpack -------------------------------------------------------


def _triangular_solve(which: str) -> Callable[[Ctx], Expr]:
    """triangular_solve_backward: X = A⁻¹·B (A⁻ᵀ·B for transpose=True), A read from one triangle: B gets
    A⁻ᵀ·grad (A⁻¹·grad), A gets -grad_B·Xᵀ (-X·grad_Bᵀ) kept to its triangle (the strict one when unitriangular),
    plus the gradient of the copy of A the op also returns, whole."""

    def grad(ctx: Ctx) -> Expr:
        upper, transpose = bool(ctx.raw("upper")), bool(ctx.raw("transpose"))
        unit = bool(ctx.raw("unitriangular"))
        a, x = ctx.sym("A"), Sym("X", ctx.tensor("solution"))  # (X: the solution, whichever output the code named)
        solution = _received(ctx, 0, "X")
        copy = _received(ctx, 1, "A copy")

        def grad_b(av: Tensor, g: Tensor) -> Tensor:
            return torch.linalg.solve_triangular(
                av if transpose else av.mT, g, upper=upper == transpose, unitriangular=unit
            )

        text_b = "{0}⁻¹ · {1}" if transpose else "{0}⁻ᵀ · {1}"
        if which == "B":
            if solution is None:
                raise Missing("no gradient reached the solution", "해에 그래디언트가 오지 않았습니다")
            return _back(ctx, 0, _matrix(text_b, text_b, [a, solution], grad_b))
        part = "triu" if upper else "tril"
        offset = (", 1" if upper else ", -1") if unit else ""
        inner = "-{2} · ({0}⁻¹ · {1})ᵀ" if transpose else "-({0}⁻ᵀ · {1}) · {2}ᵀ"
        pieces: list[str] = []
        args: list[Expr] = [a]
        if solution is not None:
            pieces.append(f"{part}({inner}{offset})")
            args += [solution, x]
        if copy is not None:
            pieces.append(f"{{{len(args)}}}")
            args.append(copy)
        if not pieces:
            raise Missing("no gradient reached this node", "이 노드에 그래디언트가 오지 않았습니다")

        def grad_a(av: Tensor, *rest: Tensor) -> Tensor:
            total = torch.zeros_like(av)
            if solution is not None:
                g, xv = rest[0], rest[1]
                gb = grad_b(av, g)
                full = -(xv @ gb.mT) if transpose else -(gb @ xv.mT)
                total = total + (full.triu(int(unit)) if upper else full.tril(-int(unit)))
            if copy is not None:
                total = total + rest[-1]
            return total

        text = " + ".join(pieces)
        return _back(ctx, 1, _matrix(text, text, args, grad_a))

    return grad


def _triangular_solve_params(ctx: Ctx) -> dict[str, str]:
    b, a, x = ctx.label(0, "B"), ctx.label(1, "A"), "X"
    if bool(ctx.raw("transpose")):
        return {"solved": f"{a}⁻ᵀ·{b}", "gb": f"{a}⁻¹·grad", "ga": f"-{x}·({a}⁻¹·grad)ᵀ"}
    return {"solved": f"{a}⁻¹·{b}", "gb": f"{a}⁻ᵀ·grad", "ga": f"-{a}⁻ᵀ·grad·{x}ᵀ"}


def _cholesky_inverse(ctx: Ctx) -> Expr:
    """cholesky_inverse_backward: Y = (L·Lᵀ)⁻¹ (Y = (Uᵀ·U)⁻¹): L gets -Y·(grad + gradᵀ)·Y·L (-U·Y·(grad + gradᵀ)·Y),
    every entry, the triangle L was read from or not."""
    upper = bool(ctx.raw("upper"))
    factor, y = ctx.sym("self"), Sym(ctx.output_label(), ctx.tensor("result"))

    def value(f: Tensor, g: Tensor, yv: Tensor) -> Tensor:
        common = yv @ (g + g.mT) @ yv
        return -(f @ common) if upper else -(common @ f)

    text = "-{0} · {2}·({1} + {1}ᵀ)·{2}" if upper else "-{2}·({1} + {1}ᵀ)·{2} · {0}"
    return _matrix(text, text, [factor, ctx.grad, y], value)


def _cholesky_inverse_params(ctx: Ctx) -> dict[str, str]:
    f, y = ctx.label(0, "L"), ctx.output_label()
    if bool(ctx.raw("upper")):
        return {"product": f"{f}ᵀ·{f}", "formula": f"-{f}·{y}·(grad + gradᵀ)·{y}"}
    return {"product": f"{f}·{f}ᵀ", "formula": f"-{y}·(grad + gradᵀ)·{y}·{f}"}


def _lu_value(lower: Tensor, upper: Tensor, gl: Tensor, gu: Tensor) -> Tensor:
    """linalg_lu_backward without P: square, wide (U = [U₁ U₂]) or tall (L = [L₁; L₂]) A = P·L·U."""
    m, n = lower.shape[-2], upper.shape[-1]
    k = min(m, n)
    solve = torch.linalg.solve_triangular
    if m == n:
        inner = (lower.mT @ gl).tril(-1) + (gu @ upper.mT).triu()
        inner = solve(upper.mT, inner, upper=False, left=False)
        return solve(lower.mT, inner, upper=True, left=True, unitriangular=True)
    if m < n:
        inner = solve(upper[..., :k].mT, (lower.mT @ gl - gu.triu() @ upper.mT).tril(-1), upper=False, left=False)
        inner = torch.cat([inner + gu[..., :k].triu(), gu[..., k:]], -1)
        return solve(lower.mT, inner, upper=True, left=True, unitriangular=True)
    top, low, g_top, g_low = lower[..., :k, :], lower[..., k:, :], gl[..., :k, :], gl[..., k:, :]
    inner = (top.mT @ g_top).tril(-1) + (gu @ upper.mT - low.mT @ g_low).triu()
    inner = solve(top.mT, inner, upper=True, left=True, unitriangular=True)
    return solve(upper.mT, torch.cat([inner, g_low], -2), upper=False, left=False)


LU_TEXTS = {
    "square": "L⁻ᵀ·(tril(Lᵀ·{0}, -1) + triu({1}·Uᵀ))·U⁻ᵀ",
    "wide": "L⁻ᵀ·[tril(Lᵀ·{0} - triu({1})·Uᵀ, -1)·U₁⁻ᵀ + triu({1}₁), {1}₂]",
    "tall": "[L₁⁻ᵀ·(tril(L₁ᵀ·{0}₁, -1) + triu({1}·Uᵀ - L₂ᵀ·{0}₂)); {0}₂]·U⁻ᵀ",
}


def _lu_shape(ctx: Ctx) -> str:
    m, n = ctx.tensor("L").shape[-2], ctx.tensor("U").shape[-1]
    return "square" if m == n else "wide" if m < n else "tall"


LU_SHAPE_WORDS = {
    "square": ("", ""),
    "wide": (
        " {A} is wide (more columns than rows): U = [U₁ U₂] with U₁ square, and the columns of U₂, which only "
        "L multiplies, send grad(U)₂ back through L⁻ᵀ alone.",
        " 열이 행보다 많은 행렬에서는 U = [U₁ U₂](U₁은 정사각 행렬)이고, L만 곱해지는 U₂의 열들은 grad(U)₂를 "
        "L⁻ᵀ만 거쳐 돌려보냅니다.",
    ),
    "tall": (
        " {A} is tall (more rows than columns): L = [L₁; L₂] with L₁ square, and the rows of L₂, which only U "
        "multiplies, send grad(L)₂ back through U⁻ᵀ alone.",
        " 행이 열보다 많은 행렬에서는 L = [L₁; L₂](L₁은 정사각 행렬)이고, U만 곱해지는 L₂의 행들은 grad(L)₂를 "
        "U⁻ᵀ만 거쳐 돌려보냅니다.",
    ),
}


def _lu_params(ctx: Ctx) -> dict[str, str]:
    shape = _lu_shape(ctx)
    formula = ("P·" if bool(ctx.raw("pivot")) else "") + LU_TEXTS[shape].format("grad(L)", "grad(U)")
    a = ctx.label(0, "A")
    words = LU_SHAPE_WORDS[shape]
    return {"formula": formula, "shape_en": words[0].replace("{A}", a), "shape_ko": words[1].replace("{A}", a)}


def _lu_gradient(ctx: Ctx) -> Expr:
    """linalg_lu_backward: A = P·L·U, L with ones on its diagonal; a wide A's U is [U₁ U₂], a tall A's L is
    [L₁; L₂] (U₁, L₁ square). A gradient PyTorch did not send (L or U unused) is 0."""
    p, lower, upper = ctx.tensor("P"), ctx.tensor("L"), ctx.tensor("U")
    pivot = bool(ctx.raw("pivot"))
    grad_l, grad_u = _received(ctx, 0, "L"), _received(ctx, 1, "U")  # (P is no differentiable output)
    if grad_l is None and grad_u is None:
        raise Missing("no gradient reached L or U", "L과 U에 그래디언트가 오지 않았습니다")
    gl = grad_l if grad_l is not None else Sym("0", torch.zeros_like(lower))
    gu = grad_u if grad_u is not None else Sym("0", torch.zeros_like(upper))

    def value(g_l: Tensor, g_u: Tensor) -> Tensor:
        out = _lu_value(lower, upper, g_l, g_u)
        return p @ out if pivot else out

    text = ("P·" if pivot else "") + LU_TEXTS[_lu_shape(ctx)]
    return _matrix(text, text, [gl, gu], value)


def _lu_unpacked(ctx: Ctx) -> Expr:
    """lu_unpack_backward: L came from the strict lower triangle of the packed m×n matrix (its first m columns when
    it is wide), U from the upper one (its first n rows when it is tall): each part gets its factor's gradient
    there, 0 where the factor's fixed entries (L's unit diagonal, the zeros) sit."""
    m, n = int(ctx.raw("LU_data_sym_argsize_minus_2")), int(ctx.raw("LU_data_sym_argsize_minus_1"))
    k = min(m, n)
    grad_l, grad_u = _received(ctx, 0, "L"), _received(ctx, 1, "U")  # (P is no differentiable output)
    if grad_l is None and grad_u is None:
        raise Missing("no gradient reached L or U", "L과 U에 그래디언트가 오지 않았습니다")
    args: list[Expr] = [g for g in (grad_l, grad_u) if g is not None]
    terms = []
    if grad_l is not None:
        terms.append("tril({0}, -1)")
    if grad_u is not None:
        terms.append(f"triu({{{len(terms)}}})")

    def value(*gs: Tensor) -> Tensor:
        given = iter(gs)
        out = torch.zeros(*gs[0].shape[:-2], m, n, dtype=torch.float64)
        if grad_l is not None:
            out[..., :, :k] += next(given).tril(-1)
        if grad_u is not None:
            out[..., :k, :] += next(given).triu()
        return out

    return _matrix(" + ".join(terms), " + ".join(terms), args, value)


add(
    Rule(
        "TriangularSolveBackward0",
        ("solving a triangular system (triangular_solve)", "삼각 연립방정식 풀기(triangular_solve)"),
        "X = triangular_solve({B}, {A}).solution = {solved}",
        ("∂L/∂{B} = {gb}, ∂L/∂{A} = triangle of ({ga})", "∂L/∂{B} = {gb}, ∂L/∂{A} = ({ga})의 삼각 부분"),
        (
            "As for any linear system, {B} gets the system solved once more with {A} transposed, and {A} gets minus "
            "that times Xᵀ, but only on the triangle {A} was read from (the other entries, and the diagonal when it "
            "is taken as ones, were never used, so they get 0). The copy of {A} the call also returns passes its "
            "gradient on to {A} whole.",
            "다른 연립방정식처럼 {B}에는 {A}를 전치해 한 번 더 푼 값이, {A}에는 그 값에 Xᵀ를 곱하고 부호를 바꾼 값이 "
            "전달됩니다. 다만 {A}에서 실제로 읽은 삼각 부분에만 전달되고, 그 밖의 원소(대각선을 1로 본 경우에는 "
            "대각선도)는 쓰이지 않았으므로 0을 받습니다. 함께 돌려준 {A}의 복사본이 받은 그래디언트는 {A}에 그대로 "
            "더해집니다.",
        ),
        (Slot("self", "B", _triangular_solve("B")), Slot("A", "A", _triangular_solve("A"))),
        params=_triangular_solve_params,
        output="X",
    ),
    Rule(
        "CholeskyInverseBackward0",
        ("inverse from a Cholesky factor", "숄레스키 인수로 역행렬 구하기"),
        "{y} = cholesky_inverse({L}) = ({product})⁻¹",
        "grad_{L} = {formula}",
        (
            "{y} is the inverse of A = {product}. An inverse changes by -{y}·dA·{y}, so A would get -{y}·grad·{y}; "
            "A is symmetric, so both grad and gradᵀ count, and through A = {product} the "
            "factor gets {formula}. PyTorch sends it to every entry of {L}, not only to its "
            "triangle.",
            "{y}는 A = {product}의 역행렬입니다. 역행렬은 -{y}·dA·{y}만큼 변하므로 A가 받을 값은 -{y}·grad·{y}입니다. "
            "A가 대칭이라 grad와 gradᵀ가 모두 들어가고, A = {product}를 거쳐 인수는 "
            "{formula}의 값을 받습니다. PyTorch는 이 값을 삼각 부분만이 아니라 {L}의 모든 원소에 "
            "보냅니다.",
        ),
        (Slot("self", "L", _cholesky_inverse),),
        params=_cholesky_inverse_params,
    ),
    Rule(
        "LinalgLuBackward0",
        ("LU decomposition (linalg.lu)", "LU 분해(linalg.lu)"),
        "P, L, U = lu({A}), {A} = P·L·U",
        "grad_{A} = {formula}",
        (
            "L has ones on its diagonal and U is upper triangular. A change dA of {A} changes L by L·(the strict "
            "lower triangle of L⁻¹·Pᵀ·dA·U⁻¹) and U by (its upper triangle)·U; turning this around gives {A}'s "
            "gradient: Lᵀ·grad(L) kept below the diagonal and grad(U)·Uᵀ on and above it, brought back through "
            "L⁻ᵀ and U⁻ᵀ (triangular solves), then the row swaps P undone. P is a permutation: it has no gradient."
            "{shape_en}",
            "L은 대각선이 1이고 U는 위 삼각 행렬입니다. {A}가 dA만큼 바뀌면 L⁻¹·Pᵀ·dA·U⁻¹의 대각선 아래 부분은 L을, "
            "대각선과 그 위 부분은 U를 바꿉니다. 이를 거꾸로 따라가면 {A}의 그래디언트가 됩니다. Lᵀ·grad(L)의 "
            "대각선 아래 부분과 grad(U)·Uᵀ의 대각선과 그 위 부분을 더해 L⁻ᵀ와 U⁻ᵀ로 (삼각 행렬 풀이로) 되돌린 뒤, "
            "행 교환 P를 되돌립니다. P는 순열 행렬이라 그래디언트가 없습니다.{shape_ko}",
        ),
        (Slot("A", "A", _lu_gradient),),
        params=_lu_params,
    ),
    Rule(
        "LuUnpackBackward0",
        ("unpacking LU factors (lu_unpack)", "LU 인수 풀어내기(lu_unpack)"),
        (
            "P, L, U = lu_unpack({LU}, pivots): L below the diagonal of {LU} (ones on it), U on and above it",
            "P, L, U = lu_unpack({LU}, pivots): L은 {LU}의 대각선 아래(대각선은 1), U는 대각선과 그 위",
        ),
        (
            "grad_{LU} = tril(grad(L), -1) + triu(grad(U))",
            "grad_{LU} = tril(grad(L), -1) + triu(grad(U))",
        ),
        (
            "lu_unpack only copies entries: L's entries below its diagonal are those of {LU} below the diagonal, "
            "U's are those of {LU} on and above it. So {LU} gets grad(L) below the diagonal and grad(U) on and above "
            "it; L's ones on its diagonal and both factors' zeros come from no entry of {LU}. The pivots are "
            "integers and get no gradient.",
            "lu_unpack은 값을 옮겨 적기만 합니다. L의 대각선 아래 원소는 {LU}의 대각선 아래 원소이고, U의 원소는 "
            "{LU}의 대각선과 그 위 원소입니다. 그래서 {LU}는 대각선 아래에서 grad(L)을, 대각선과 그 위에서 "
            "grad(U)를 받습니다. L 대각선의 1과 두 인수의 0은 {LU}의 어느 원소에서도 오지 않았습니다. pivots는 "
            "정수라서 그래디언트를 받지 않습니다.",
        ),
        (Slot("LU_data", "LU", _lu_unpacked),),
    ),
)


def _geqrf_none(ctx: Ctx) -> Expr:
    from .elementwise import _no_derivative

    return _no_derivative("torch.geqrf")(ctx)


add(
    Rule(
        "GeqrfBackward0",
        ("QR factorization, LAPACK's form (geqrf)", "QR 분해, LAPACK 형식(geqrf)"),
        (
            "a, tau = geqrf({A}): R and the Householder reflectors of Q packed into one matrix",
            "a, tau = geqrf({A}): R과 Q의 하우스홀더 반사를 한 행렬에 함께 저장",
        ),
        ("∂(a, tau)/∂{A}: none in PyTorch", "∂(a, tau)/∂{A}: PyTorch에는 없음"),
        (
            "PyTorch defines no derivative for torch.geqrf (derivatives.yaml: not_implemented), so backward stops "
            "at this node with NotImplementedError. torch.linalg.qr({A}) gives Q and R with a derivative.",
            "PyTorch에는 torch.geqrf의 미분이 정의되어 있지 않아(derivatives.yaml: not_implemented) 역전파가 이 "
            "노드에서 NotImplementedError를 내고 멈춥니다. 미분이 있는 torch.linalg.qr({A})로 Q와 R을 구하세요.",
        ),
        (Slot("self", "A", _geqrf_none),),
        first_output=True,
    ),
)
