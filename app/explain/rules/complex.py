"""Complex numbers and the FFT (derivatives.yaml: conj, neg (its lazy view), angle, polar, fft_r2c, fft_c2r,
fft_c2c). PyTorch's gradient of a real loss with respect to a complex z is the conjugate Wirtinger form
∂L/∂Re z + i·∂L/∂Im z. The values met here are complex on at least one side, and the rules' numbers are for real
ones: the formulas are written, and what they need complex is not checked (the words say so). An angle of a real
tensor is the one case checked: its gradient is 0."""

import dataclasses
from collections.abc import Callable

import torch
from torch import Tensor

from ..expr import Expr, Form, Mask, call
from ..rule import RULES, Ctx, Rule, Slot, add
from . import elementwise  # noqa: F401  (the rules for real values this module extends: AbsBackward0)


def _complex(en: str, ko: str | None = None) -> Expr:
    from ..node import COMPLEX
    from .special import Unknown

    return Unknown(en, ko or en, COMPLEX)


def _angle(ctx: Ctx) -> Expr:
    """angle_backward: grad · i·z/|z|² for a complex z (0 at z = 0); 0 for a real tensor (its angle is 0 or π, a
    step)."""
    if not _is_complex(ctx):
        return ctx.grad * Mask("0", 0)
    z = ctx.label(0, "z")
    return _complex(f"grad · i·{z} / |{z}|² (0 where {z} = 0)", f"grad · i·{z} / |{z}|² ({z} = 0인 곳은 0)")


def _fft_dims(ctx: Ctx) -> str:
    dims = [int(d) for d in ctx.raw("dim")]
    return str(dims[0]) if len(dims) == 1 else str(tuple(dims))


def _norm(ctx: Ctx) -> str:
    """The factor of PyTorch's `normalization` (0: none, 1: 1/√N, 2: 1/N), as the backward writes it."""
    return {0: "", 1: "/√N", 2: "/N"}.get(int(ctx.raw("normalization")), "")


# (the FFT's `normalization` as the norm= of torch.fft's inverse transforms that scales the same way)
INVERSE_NORM = {0: "forward", 1: "ortho", 2: "backward"}


def _complex_grad(ctx: Ctx) -> Tensor:
    return ctx.grad_tensor(0).to(torch.complex128)


def _r2c_value(ctx: Ctx) -> Tensor:
    """fft_r2c_backward: the gradient (the left-out half as zeros for a onesided rfft) through the FFT the other way,
    scaled as the forward was; its real part, as the input is real."""
    g, dims = _complex_grad(ctx), [int(d) for d in ctx.raw("dim")]
    if bool(ctx.saved.get("onesided", True)):
        full = ctx.tensor("self").shape[dims[-1]]
        pad = [0, 0] * (g.dim() - 1 - dims[-1] % g.dim()) + [0, full - g.shape[dims[-1]]]
        g = torch.nn.functional.pad(g, pad)
    return torch.fft.ifftn(g, dim=dims, norm=INVERSE_NORM[int(ctx.raw("normalization"))]).real


def _r2c(ctx: Ctx) -> Expr:
    x, scale, onesided = ctx.label(0, "x"), _norm(ctx), bool(ctx.saved.get("onesided", True))
    padded = " (the frequencies rfft left out count as 0)" if onesided else ""
    padded_ko = " (rfft가 생략한 주파수는 0으로 둡니다)" if onesided else ""
    return Form(
        f"Re(Σₖ grad[k]·e^(+2πi·k·n/N)){scale}{padded}, for each n of {x}",
        f"{x}의 각 n에 대해 Re(Σₖ grad[k]·e^(+2πi·k·n/N)){scale}{padded_ko}",
        [ctx.sym("self")],
        lambda _: _r2c_value(ctx),
        evaluated=True,
    )


def _polar(which: str) -> Callable[[Ctx], Expr]:
    """polar_backward: r gets Re(conj(grad)·y/|y|) (grad's part along y), the angle Re(conj(grad)·i·y)."""

    def grad(ctx: Ctx) -> Expr:
        y = ctx.output_label()
        result = ctx.tensor("result").to(torch.complex128)
        if which == "abs":
            text, fn = f"Re(conj(grad)·{y}/|{y}|)", lambda: (_complex_grad(ctx).conj() * result.sgn()).real
        else:
            text, fn = f"Re(conj(grad)·i·{y})", lambda: (_complex_grad(ctx).conj() * result * 1j).real
        return Form(text, text, [ctx.grad], lambda _: fn(), evaluated=True)

    return grad


def _c2r(ctx: Ctx) -> Expr:
    scale = _norm(ctx)
    return _complex(
        f"rfft(grad){scale}, the frequencies between 0 and N/2 counted twice (they stand for their mirror images)",
        f"rfft(grad){scale}, 0과 N/2 사이의 주파수는 대칭인 짝의 몫까지 두 번 셉니다",
    )


def _c2c(ctx: Ctx) -> Expr:
    scale = _norm(ctx)
    forward = bool(ctx.saved.get("forward", True))
    sign = "+" if forward else "-"
    return _complex(f"Σₖ grad[k]·e^({sign}2πi·k·n/N){scale}")


CONJ_WORDS = (
    "Conjugation flips the sign of the imaginary part, and so does its backward: the gradient for {z} is the "
    "conjugate of grad.",
    "켤레는 허수부의 부호를 바꾸고, 역전파도 똑같이 합니다. {z}에 대한 그래디언트는 grad의 켤레입니다.",
)

add(
    Rule(
        "ConjBackward0",
        ("complex conjugate", "켤레 복소수"),
        "{y} = conj({z})",
        "grad_{z} = conj(grad)",
        CONJ_WORDS,
        (Slot("self", "z", lambda c: _complex("conj(grad)")),),
    ),
    Rule(
        "NegViewBackward0",
        ("negation (a lazy view)", "부호 바꾸기(지연된 뷰)"),
        "{y} = -{z}",
        "∂{y}/∂{z} = -1",
        (
            "A negated view, which PyTorch makes when it conjugates a complex tensor's matmul operands: the gradient "
            "goes back with its sign flipped.",
            "PyTorch가 복소수 텐서의 행렬 곱에서 켤레를 다룰 때 만드는, 부호를 바꾼 뷰입니다. 그래디언트도 부호만 "
            "바뀌어 돌아갑니다.",
        ),
        (Slot("self", "z", lambda c: _complex("-grad")),),
    ),
    Rule(
        "AngleBackward0",
        ("angle (argument) of a complex number", "복소수의 편각"),
        "{y} = angle({z}) = atan2(Im {z}, Re {z})",
        "grad_{z} = grad · i·{z} / |{z}|²",
        (
            "The angle changes only when {z} turns around 0, at the rate 1/|{z}|: the gradient points along i·{z}, "
            "at right angles to {z}. A real tensor's angle is 0 or π, a step, so it gets 0.",
            "편각은 {z}의 값이 0을 중심으로 돌 때만 변하고, 그 빠르기는 1/|{z}|입니다. 그래서 그래디언트는 "
            "{z}에 수직인 i·{z} 방향입니다. 실수 텐서의 편각은 0 아니면 π인 계단이라 그래디언트가 0입니다.",
        ),
        (Slot("self", "z", _angle),),
    ),
    Rule(
        "PolarBackward0",
        ("complex number from magnitude and angle", "크기와 편각으로 복소수 만들기"),
        "{y} = {r}·e^(i·{t})",
        "grad_{r} = Re(conj(grad)·{y}/|{y}|), grad_{t} = Re(conj(grad)·i·{y})",
        (
            "{y} points in the direction e^(i·{t}) with length {r}: {r} gets the part of grad along that "
            "direction, and {t} the part at right angles to it, times the length.",
            "{y}의 길이는 {r}, 방향은 e^(i·{t})입니다. 그래서 {r}에는 grad 중 그 방향의 성분이, {t}에는 그에 "
            "수직인 성분에 길이를 곱한 값이 갑니다.",
        ),
        (
            Slot("abs", "r", _polar("abs")),
            Slot("angle", "t", _polar("angle")),
        ),
        extra={"complex": True},
    ),
    Rule(
        "FftR2CBackward0",
        ("FFT of a real signal (rfft)", "실수 신호의 FFT(rfft)"),
        (
            "{y} = rfft({x}) over dim {dims}: {y}[k] = Σₙ {x}[n]·e^(-2πi·k·n/N){scale}",
            "{y} = rfft({x}) ({dims}번 축): {y}[k] = Σₙ {x}[n]·e^(-2πi·k·n/N){scale}",
        ),
        "∂{y}[k]/∂{x}[n] = e^(-2πi·k·n/N){scale}",
        (
            "The FFT is linear: each frequency is a sum of the samples times a rotating phase. Backward runs it the "
            "other way: grad goes through an FFT with the opposite phase and the forward's own scale, and its real "
            "part is {x}'s gradient, since {x} is real.",
            "FFT는 선형입니다. 각 주파수는 샘플마다 회전하는 위상을 곱해 더한 값입니다. 역전파는 이를 거꾸로 "
            "돌려, grad를 위상이 반대인 FFT로 되돌립니다(배율은 순전파와 같습니다). {x}의 값이 실수이므로 그 "
            "실수부가 {x}의 그래디언트입니다.",
        ),
        (Slot("self", "x", _r2c),),
        params=lambda c: {"dims": _fft_dims(c), "scale": _norm(c)},
        extra={"complex": True},
    ),
    Rule(
        "FftC2RBackward0",
        ("inverse FFT to a real signal (irfft)", "실수 신호로 돌아가는 역 FFT(irfft)"),
        ("{y} = irfft({z}) over dim {dims}", "{y} = irfft({z}) ({dims}번 축)"),
        (
            "grad_{z} = rfft(grad){scale}, the middle frequencies twice",
            "grad_{z} = rfft(grad){scale}, 가운데 주파수는 두 배",
        ),
        (
            "irfft rebuilds a real signal from half of its spectrum; each frequency between 0 and N/2 stands for "
            "itself and its mirror image, so it gets the gradient of both: rfft of grad, those frequencies doubled.",
            "irfft는 스펙트럼의 절반으로 실수 신호를 다시 만듭니다. 0과 N/2 사이의 각 주파수는 자기와 대칭인 짝을 "
            "함께 나타내므로 둘의 그래디언트를 받습니다. 즉 grad를 rfft하고 그 주파수들은 두 배로 합니다.",
        ),
        (Slot("self", "z", _c2r),),
        params=lambda c: {"dims": _fft_dims(c), "scale": _norm(c)},
    ),
    Rule(
        "FftC2CBackward0",
        ("complex FFT", "복소수 FFT"),
        ("{y} = {fn}({z}) over dim {dims}", "{y} = {fn}({z}) ({dims}번 축)"),
        ("grad_{z} = the FFT of grad in the other direction{scale}", "grad_{z} = 방향이 반대인 grad의 FFT{scale}"),
        (
            "The FFT is linear, and its backward is the FFT in the opposite direction (the conjugate phases), with "
            "the same normalization.",
            "FFT는 선형이고, 역전파는 같은 정규화로 방향만 반대인(위상을 켤레로 바꾼) FFT입니다.",
        ),
        (Slot("self", "z", _c2c),),
        params=lambda c: {
            "dims": _fft_dims(c),
            "scale": _norm(c),
            "fn": "fft" if bool(c.saved.get("forward", True)) else "ifft",
        },
    ),
)


add(
    Rule(
        "ConjPhysicalBackward0",
        ("complex conjugate", "켤레 복소수"),
        "{y} = conj_physical({z})",
        "grad_{z} = conj(grad)",
        CONJ_WORDS,
        (Slot("self", "z", lambda c: _complex("conj(grad)")),),
    ),
)


def _parts_of(which: str) -> Callable[[Ctx], Expr]:
    """torch.complex's backward: the real part of grad to `real`, its imaginary part to `imag`."""

    def grad(ctx: Ctx) -> Expr:
        text = "Re(grad)" if which == "real" else "Im(grad)"
        part = (lambda g: g.real) if which == "real" else (lambda g: g.imag)
        return Form(text, text, [ctx.grad], lambda _: part(_complex_grad(ctx)), evaluated=True)

    return grad


add(
    Rule(
        "ComplexBackward0",
        ("complex number from its real and imaginary parts", "실수부와 허수부로 복소수 만들기"),
        "{y} = {a} + i·{b}",
        "grad_{a} = Re(grad), grad_{b} = Im(grad)",
        (
            "{a} is the real part of {y} and {b} its imaginary part, so the complex gradient splits the same way: "
            "{a} gets its real part, {b} its imaginary part.",
            "{y}의 실수부가 {a}, 허수부가 {b}이므로 복소수 그래디언트도 똑같이 나뉩니다. {a}에는 실수부가, {b}에는 "
            "허수부가 갑니다.",
        ),
        (Slot("real", "a", _parts_of("real")), Slot("imag", "b", _parts_of("imag"))),
        extra={"complex": True},
    ),
)


# -- |z| and angle(z) of a complex tensor: the rules for real ones, told apart by the saved input ---------------------


def _is_complex(ctx: Ctx) -> bool:
    value = ctx.saved.get("self")
    return isinstance(value, Tensor) and value.is_complex()


def _abs(ctx: Ctx) -> Expr:
    """abs_backward: grad · sgn(x), sgn(z) = z/|z| for a complex z (0 at z = 0)."""
    if not _is_complex(ctx):
        return ctx.grad * call("sign", ctx.sym("self"), torch.sign)
    z = ctx.label(0, "x")
    return _complex(f"grad · {z}/|{z}| (0 where {z} = 0)", f"grad · {z}/|{z}| ({z} = 0인 곳은 0)")


ABS_WORDS = {
    False: (
        "The gradient keeps its sign where {x} > 0, flips it where {x} < 0, and is 0 at {x} = 0.",
        "{x} > 0인 곳은 그래디언트를 그대로, {x} < 0인 곳은 부호를 바꿔, {x} = 0인 곳은 0을 보냅니다.",
    ),
    True: (
        "For complex numbers |{x}| is each one's length, which grows fastest along the number itself: the gradient "
        "is grad · {x}/|{x}| (0 at {x} = 0).",
        "복소수에서 |{x}|는 각 수의 길이이고, 길이는 그 수 자신의 방향으로 가장 빨리 커집니다. 그래서 그래디언트는 "
        "grad · {x}/|{x}|입니다({x} = 0인 곳은 0).",
    ),
}


def _abs_params(ctx: Ctx) -> dict[str, str]:
    """The words and local derivative for a real or a complex input (a parameter's text is not filled again: the
    name goes in here)."""
    x, complex_ = ctx.label(0, "x"), _is_complex(ctx)
    en, ko = (text.replace("{x}", x) for text in ABS_WORDS[complex_])
    local = f"∂|{x}|/∂{x} = {x}/|{x}|" if complex_ else f"∂{{y}}/∂{x} = sign({x})".replace("{y}", ctx.output_label())
    return {"abs_en": en, "abs_ko": ko, "abs_local": local}


add(
    dataclasses.replace(
        RULES["AbsBackward0"],
        words=("{abs_en}", "{abs_ko}"),
        slots=(Slot("self", "x", _abs),),
        local="{abs_local}",
        params=_abs_params,
        extra={"complex": True},
    ),
    dataclasses.replace(RULES["AngleBackward0"], extra={"complex": True}),
)
