"""Nested (jagged) tensors (derivatives.yaml: linear, _nested_get_values, unbind on a NestedTensor): a batch of
sequences of different lengths kept as one packed `values()` tensor and the `offsets()` where each sequence starts.
A nested tensor's values have no one shape, so the recorder cannot read them: these rules write their formulas, and
their checks are null with that reason (the dense tensors around them, `values()`'s, are checked as usual)."""

from torch import Tensor

from ..expr import Expr, Form
from ..rule import Ctx, Missing, Rule, Slot, add

NESTED = (  # (as the capture engine says it of a nested tensor's values)
    "it is a nested tensor (pieces of different shapes), which the formulas do not cover",
    "모양이 다른 조각들로 된 중첩(nested) 텐서라서 공식이 다루지 않습니다",
)
NESTED_NOTE = (
    "A nested tensor holds sequences of different lengths as one packed values() tensor, one row per token.",
    "중첩(nested) 텐서는 길이가 다른 시퀀스들을 토큰마다 한 행씩 이어 붙인 values() 텐서 하나로 담습니다.",
)


def _rows(t: Tensor) -> Tensor:
    """Every token's row (the packed values of a nested tensor, or a plain tensor's leading axes flattened)."""
    return (t.values() if t.is_nested else t).reshape(-1, t.shape[-1])


def _linear_input(ctx: Ctx) -> Expr:
    return Form("{0} · {1}", "{0} · {1}", [ctx.grad, ctx.sym("weight")], lambda g, w: g @ w)


def _linear_weight(ctx: Ctx) -> Expr:
    return Form(
        "Σ[tokens] {0}ᵀ · {1}",
        "Σ[토큰] {0}ᵀ · {1}",
        [ctx.grad, ctx.sym("input")],
        lambda g, x: _rows(g).T @ _rows(x),
    )


def _linear_bias(ctx: Ctx) -> Expr:
    return Form("Σ[tokens] {0}", "Σ[토큰] {0}", [ctx.grad], lambda g: _rows(g).sum(0))


def _nested_result(*_: object) -> Tensor:
    """What values() and unbind() send back is a nested tensor: no numbers to write or check."""
    raise Missing(*NESTED)


def _values(ctx: Ctx) -> Expr:
    x = ctx.label(0, "x")
    return Form(
        f"{{0}} split back into the sequences of {x} by {x}.offsets()",
        f"{x}.offsets()에 따라 {{0}}를 {x}의 시퀀스별로 다시 나눈 것",
        [ctx.grad],
        _nested_result,
    )


def _unbind(ctx: Ctx) -> Expr:
    return Form(
        "the sequences' gradients packed back into one nested tensor (0 for a sequence that got none)",
        "시퀀스별 그래디언트를 다시 중첩 텐서 하나로 모은 것(그래디언트를 받지 못한 시퀀스는 0)",
        [],
        _nested_result,
    )


add(
    Rule(
        "LinearBackward0",
        ("linear layer on a nested tensor", "중첩 텐서에 적용한 선형 계층"),
        "{y} = {x} · {W}ᵀ + {b}",
        "∂{y}/∂{x} = {W}, ∂{y}/∂{W} = {x}, ∂{y}/∂{b} = 1",
        (
            "Each token's row of {x} goes through the same layer, whatever the length of its sequence: {x} gets "
            "grad · {W} row by row, {W} gets the sum over all tokens of gradᵀ · {x}, and {b} the sum of grad. "
            + NESTED_NOTE[0],
            "{x}의 각 토큰 행은 시퀀스 길이와 상관없이 같은 계층을 지납니다. {x}는 행마다 grad · {W}를 받고, "
            "{W}는 모든 토큰에 대한 gradᵀ · {x}의 합을, {b}는 grad의 합을 받습니다. " + NESTED_NOTE[1],
        ),
        (
            Slot("input", "x", _linear_input),
            Slot("weight", "W", _linear_weight),
            Slot("bias", "b", _linear_bias),
        ),
    ),
    Rule(
        "NestedGetValuesBackward0",
        ("a nested tensor's packed values", "중첩 텐서의 이어 붙인 값"),
        "{y} = {x}.values()",
        ("grad_{x} = grad, split by {x}.offsets()", "grad_{x} = {x}.offsets()에 따라 나눈 grad"),
        (
            "values() is a view of the tokens of every sequence of {x}, one after another: its gradient goes back to "
            "the same tokens unchanged, each sequence taking its own rows (offsets() says where each starts). "
            + NESTED_NOTE[0],
            "values()는 {x}의 모든 시퀀스의 토큰을 차례로 이어 본 뷰입니다. 그래디언트는 바뀌지 않고 같은 토큰으로 "
            "돌아가며, 각 시퀀스가 자기 행들을 가져갑니다(offsets()가 각 시퀀스의 시작 위치를 알려 줍니다). "
            + NESTED_NOTE[1],
        ),
        (Slot("self", "x", _values),),
    ),
    Rule(
        "UnbindBackwardAutogradNestedTensor0",
        ("unbinding a nested tensor", "중첩 텐서 풀어 나누기"),
        "{y} = {x}.unbind()",
        ("grad_{x} = the sequences' gradients, packed", "grad_{x} = 시퀀스별 그래디언트를 모은 것"),
        (
            "unbind() gives each sequence of {x} as a tensor of its own; backward packs their gradients back into "
            "one nested tensor (0 for a sequence that got none). " + NESTED_NOTE[0],
            "unbind()는 {x}의 시퀀스를 각각 따로 된 텐서로 꺼냅니다. 역전파는 그 그래디언트들을 다시 중첩 텐서 하나로 "
            "모읍니다(그래디언트를 받지 못한 시퀀스는 0). " + NESTED_NOTE[1],
        ),
        (Slot("self", "x", _unbind),),
    ),
)
