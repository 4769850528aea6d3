"""Nodes that are not one op's derivative: AccumulateGrad (a leaf's `.grad`), a Python autograd.Function (the
snippet's own backward), CopySlices (an in-place write into part of a tensor)."""

from collections.abc import Collection, Sequence
from typing import Any

from torch import Tensor

from ..check import compare
from ..expr import Expr, Form, Sym, sum_of
from ..rule import Ctx, Missing, Rule, Slot, Unreadable, add, labelled, left_out, unreadable_in
from ..show import show_tensor

LEAF_LETTERS = ("x", "u", "v", "p", "q", "r", "s", "leaf")  # what an unnamed leaf is called: the first not in use


class Unknown(Expr):
    """A formula that can be written but not computed from what was recorded."""

    def __init__(self, en: str, ko: str, reason: tuple[str, str]):
        self.en, self.ko, self.reason = en, ko, reason

    def text(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en

    def value(self):
        raise Missing(*self.reason)

    def numbers(self, limit: int) -> str:
        raise Missing(*self.reason)


def _path(label: str, lang: str) -> str:
    """A path's label as the words write it: `MulBackward0 slot 1` -> `MulBackward0 → input 1` (what the node sent
    for its input 1; an arrow, as the page writes where a gradient goes: Korean needs no particle after a name)."""
    node, found, slot = label.rpartition(" slot ")
    if not (found and slot.isdigit()):
        return label
    if lang == "ko":  # (as the words say "첫 번째 입력": slot 0 is the first)
        number = int(slot)
        ordinal = KOREAN_ORDINALS[number] if number < len(KOREAN_ORDINALS) else f"{number + 1}번째"
        return f"{node}의 {ordinal} 입력"
    return f"{node} → input {slot}"


KOREAN_ORDINALS = ("첫 번째", "두 번째", "세 번째", "네 번째", "다섯 번째", "여섯 번째", "일곱 번째", "여덟 번째")


NOTHING_ARRIVED = (
    "In this run no gradient reached it, so nothing was added.",
    "이번 실행에서는 도착한 그래디언트가 없어서 아무것도 더해지지 않았습니다.",
)


def returned_instead(name: str) -> tuple[str, str]:
    """What an AccumulateGrad that never ran says when torch.autograd.grad() took the gradient that reached its leaf
    (in place of NOTHING_ARRIVED)."""
    return (
        f"Here torch.autograd.grad() (or a torch.func transform, which calls it) returned the gradient that reached "
        f"{name} to the code instead of adding it to {name}.grad: AccumulateGrad did not run, and {name}.grad stayed "
        "as it was.",
        f"여기서는 torch.autograd.grad()(또는 이를 부르는 torch.func 변환)가 {name}에 도착한 그래디언트를 "
        f"{name}.grad에 더하지 않고 코드에 결과로 돌려주었습니다. 그래서 AccumulateGrad는 실행되지 않았고 "
        f"{name}.grad도 그대로입니다.",
    )


# Paths an AccumulateGrad's words, formula and numbers list one by one; the others are counted (a leaf reached along
# 3,000 paths wrote 134 KB of explanation, the sum checked whole all the same).
PATHS_SHOWN = 8


def _sum_text(parts: Sequence[Sym], lang: str) -> str:
    """The paths' gradients summed, as the formula writes it: the first PATHS_SHOWN, then how many more."""
    if len(parts) <= PATHS_SHOWN:
        return sum_of(list(parts)).text(lang)
    more = len(parts) - PATHS_SHOWN
    rest = f"({more} more paths)" if lang == "en" else f"(나머지 경로 {more}개)"
    return f"{sum_of(list(parts[:PATHS_SHOWN])).text(lang)} + … {rest}"


def _then(sentence: str) -> str:
    """A sentence of the words, with the space before the next one (none where there is no sentence)."""
    return f"{sentence} " if sentence else ""


def explain_accumulate(
    grad_outputs: Sequence[Tensor | None],
    to: Sequence[str | None],
    names: Sequence[str | None],
    leaf: str | None,
    incoming: Sequence[tuple[str, Tensor | None]],
    max_elements: int,
    hooked: bool = False,
    brief: tuple[str, str] | None = None,
    avoid: Collection[str] = (),
    before: tuple[int, Tensor | None] | None = None,
) -> dict:
    """AccumulateGrad: the gradient that reached a leaf, summed over every path that brought some, is added to
    its `.grad`. The check compares that sum with what the node received (`hooked`: the snippet's hooks on the leaf
    ran in between, so nothing is checked). `before`: (its pass, the leaf's `.grad` before that pass added into
    it): the words say what `.grad` holds after it, so that a `.grad` left from an earlier backward call (or zeroed)
    explains the value the leaf shows."""
    name = leaf or next((n for n in names if n), None) or next(c for c in LEAF_LETTERS if c not in avoid)
    name = labelled(name)  # (`(a + b).grad`, as templates write it; `torch.ones(…).grad`)
    grad = grad_outputs[0] if grad_outputs else None
    count = len(incoming)
    more = count - PATHS_SHOWN
    paths = ", ".join(_path(label, "en") for label, _ in incoming[:PATHS_SHOWN]) or "—"
    paths_ko = ", ".join(_path(label, "ko") for label, _ in incoming[:PATHS_SHOWN]) or "—"
    if more > 0:
        paths, paths_ko = f"{paths}, and {more} more", f"{paths_ko} 외 {more}개"
    if count == 0:  # backward never reached it (never called, or stopped before)
        arrived_en, arrived_ko = NOTHING_ARRIVED
    elif count == 1:  # (its formula names the one path: `x.grad += grad(PowBackward0 → input 0)`)
        arrived_en, arrived_ko = "", ""
    else:
        arrived_en = f"It arrived along {count} paths ({paths}), whose gradients are summed."
        arrived_ko = f"그래디언트는 {count}개의 경로({paths_ko})로 도착했고, 모두 더해집니다."
    words = {  # (made by the snippet's line or by a module, as nn.Linear makes its weight: a parameter)
        "en": f"{name} is a leaf tensor (made by the code or by a module, not by an op), so backward ends here: "
        f"AccumulateGrad adds the gradient that reached {name} to {name}.grad. {_then(arrived_en)}{name}.grad keeps "
        f"adding up over backward calls until it is emptied ({name}.grad = None, or an optimizer's zero_grad()).",
        "ko": f"{name} 텐서는 연산의 결과가 아니라 코드나 모듈이 직접 만든 리프 텐서입니다. "
        "그래서 역전파는 여기서 끝나고, "
        f"AccumulateGrad가 {name}에 도착한 그래디언트를 {name}.grad에 더합니다. {_then(arrived_ko)}{name}.grad는 "
        f"비우기 전까지({name}.grad = None, 또는 옵티마이저의 zero_grad()) backward()를 호출할 때마다 계속 "
        "누적됩니다.",
    }
    added = None  # `held + arrived = total`, when .grad held a gradient the last pass added to
    if brief is None and before is not None and grad is not None:
        said = _held_before(name, before, grad, max_elements)
        if said is not None:
            words["en"] += " " + said[0]
            words["ko"] += " " + said[1]
            added = said[2]
    entry: dict[str, Any] = {"slot": 0, "to": to[0] if to else None, "formula": None, "numbers": None, "check": None}
    unreadable = unreadable_in([grad, *(g for _, g in incoming)])
    parts = (
        []
        if unreadable
        else [
            Sym(f"grad({_path(label, 'en')})", g.detach().double(), f"grad({_path(label, 'ko')})")
            for label, g in incoming
            if g is not None
        ]
    )
    if unreadable is not None or grad is None or not parts or len(parts) < count:
        entry["formula"] = {"en": f"{name}.grad += grad", "ko": f"{name}.grad += grad"}
        reason: tuple[str, str] | None = None  # (none when no gradient arrived: the words say so, nothing to check)
        if unreadable is not None:
            reason = unreadable.reason
        elif grad is None:
            if count:
                reason = (
                    "this leaf received no gradient in the recorded passes",
                    "기록된 역전파에서 이 리프 텐서는 그래디언트를 받지 않았습니다",
                )
        else:
            entry["numbers"] = show_tensor(grad.detach().double(), max_elements)
            reason = ("the gradient of every path was not recorded", "모든 경로의 그래디언트가 기록되지 않았습니다")
        if reason is not None:
            words["en"] += f" Not checked: {reason[0]}."
            words["ko"] += f" 검사하지 못했습니다: {reason[1]}."
    else:
        total: Expr = sum_of(parts)
        if brief is not None:
            sum_en, sum_ko = _sum_text(parts, "en"), _sum_text(parts, "ko")
            if hooked:
                sum_en, sum_ko = f"hook({sum_en})", f"hook({sum_ko})"
            entry["formula"] = {"en": f"{name}.grad += {sum_en}", "ko": f"{name}.grad += {sum_ko}"}
            en, ko = left_out(brief)
            words["en"] += " " + en
            words["ko"] += " " + ko
            return _accumulated(name, words, entry)
        value = total.value()
        listed = " + ".join(p.numbers(max_elements) for p in parts[:PATHS_SHOWN])
        if len(parts) > PATHS_SHOWN:  # (the formula says how many more)
            listed += " + …"
        if hooked:  # the snippet's hooks ran on the sum before it was added: their code, not a formula
            entry["formula"] = {
                "en": f"{name}.grad += hook({_sum_text(parts, 'en')})",
                "ko": f"{name}.grad += hook({_sum_text(parts, 'ko')})",
            }
            entry["numbers"] = f"hook({listed}) = {show_tensor(grad.detach().double(), max_elements)}"
            words["en"] += (
                f" The snippet's own hook on {name} (register_hook) ran on the summed gradient before it was "
                "added: that is the snippet's code, so this step is shown but not checked."
            )
            words["ko"] += (
                f" 코드에서 {name}에 건 훅(register_hook)이 더해진 그래디언트를 누적하기 전에 바꿀 수 있습니다. "
                "직접 작성한 코드가 하는 일이라서 보여 주기만 하고 검사하지는 않습니다."
            )
        else:
            entry["formula"] = {
                "en": f"{name}.grad += {_sum_text(parts, 'en')}",
                "ko": f"{name}.grad += {_sum_text(parts, 'ko')}",
            }
            entry["numbers"] = (listed + " = " if count > 1 else "") + show_tensor(value, max_elements)
            if added is not None and count == 1:  # (the result the leaf's .grad holds now, where a learner looks)
                entry["numbers"] = added
            if count == 1 and incoming[0][1] is grad:  # the path's gradient is the very tensor accumulated
                entry["check"] = {"ok": True, "max_abs_err": 0.0, "max_rel_err": 0.0}
            else:
                entry["check"] = compare(value, grad, total.scale)
            if not entry["check"]["ok"]:
                words["en"] += " The paths' sum does not match what PyTorch accumulated (see the check)."
                words["ko"] += " 경로들의 합이 PyTorch가 누적한 값과 맞지 않습니다(검사 결과를 보세요)."
    return _accumulated(name, words, entry)


def _plus(held: str, arrived: str) -> str:
    """`held + arrived`, a negative number after the plus in parentheses: `-16 + (-3.2)`."""
    return f"{held} + ({arrived})" if arrived.startswith("-") else f"{held} + {arrived}"


def _held_before(
    name: str, before: tuple[int, Tensor | None], grad: Tensor, max_elements: int
) -> tuple[str, str, str | None] | None:
    """What `name.grad` held before the last pass added `grad` into it, and so what it holds after: the sum a
    learner checks the leaf's gradient against, as words (en, ko) and, when it held a gradient, the sum written
    out (None: nothing to add to the words)."""
    backward_pass, held = before
    if isinstance(held, Unreadable) or isinstance(grad, Unreadable):
        return None
    if held is None and backward_pass <= 1:
        return None  # (the first backward call: .grad starts out None, as every explanation says)
    arrived = show_tensor(grad.detach().double(), max_elements)
    if held is None:
        return (
            f"{name}.grad was None when this backward call (the {_ordinal(backward_pass)}) reached it, so it now "
            f"holds just what arrived: {arrived}.",
            f"{name}.grad는 이번 backward() 호출({backward_pass}회차) 전에 None이었으므로, 이제 도착한 값 {arrived}만 "
            "담고 있습니다.",
            None,
        )
    try:
        held = held.detach().double()
        total = show_tensor(held + grad.detach().double(), max_elements)
    except RuntimeError:  # (shapes that do not add: nothing certain to say)
        return None
    if not held.any():
        return (
            f"{name}.grad had been zeroed before this backward call (the {_ordinal(backward_pass)}), by "
            f"{name}.grad.zero_() or optimizer.zero_grad(), so it now holds {_plus('0', arrived)} = {total}.",
            f"{name}.grad는 이번 backward() 호출({backward_pass}회차) 전에 {name}.grad.zero_()나 "
            f"optimizer.zero_grad()로 0이 되어 있었으므로, 이제 {_plus('0', arrived)} = {total}입니다.",
            None,
        )
    shown = show_tensor(held, max_elements)
    added = f"{_plus(shown, arrived)} = {total}"
    return (
        f"{name}.grad already held {shown} when this backward call (the {_ordinal(backward_pass)}) reached it: it was "
        f"not emptied, so it now holds {added}.",
        f"{name}.grad에는 이번 backward() 호출({backward_pass}회차) 전에 이미 값({shown})이 들어 있었고 그 사이 "
        f"비우지 않았으므로, 이제 {added}입니다.",
        added,
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _accumulated(name: str, words: dict, entry: dict) -> dict:
    return {
        "rule": "AccumulateGrad",
        "words": words,
        "formula": {"en": f"{name}.grad += Σ grad over paths", "ko": f"{name}.grad += Σ 경로별 그래디언트"},
        "inputs": [entry],
    }


TORCH_FUNCTION = "PyTorch's own autograd.Function"


def user_function_rule(node_name: str, module: str | None = None) -> Rule:
    """A Python torch.autograd.Function's node (`CubeBackward`): its backward is the snippet's own code, or, for a
    Function of PyTorch's own (`module` in torch: `torch.utils.checkpoint`), Python code of PyTorch's."""
    function = node_name.removesuffix("Backward")

    def slots(ctx: Ctx) -> tuple[Slot, ...]:
        return tuple(Slot(f"input{i}", f"x{i}", _sent(function, i)) for i in range(ctx.slot_count()))

    unchecked = (
        "gradwalk shows what it received and what it sent, but has no formula to check it against.",
        "gradwalk는 받은 그래디언트와 보낸 그래디언트를 보여 주지만, 비교할 공식이 없어 검사하지는 않습니다.",
    )
    if module is not None and (module == "torch" or module.startswith("torch.")):
        # (the page tells such a node by TORCH_FUNCTION in its words: static/js/explain.js)
        title = (f"{function}, {TORCH_FUNCTION} ({module})", f"PyTorch의 autograd.Function {function}({module})")
        words = (
            f"This backward is Python code of PyTorch's ({module}: {function}.backward), not one formula: "
            + unchecked[0],
            f"이 역전파는 공식 하나가 아니라 PyTorch 안의 파이썬 코드({module}의 {function}.backward)입니다. "
            + unchecked[1],
        )
    else:
        title = (f"{function}, your own autograd.Function", f"직접 정의한 autograd.Function {function}")
        words = (
            f"This backward is the snippet's own code ({function}.backward), not a PyTorch formula: {unchecked[0]}",
            f"이 역전파는 PyTorch의 공식이 아니라 직접 작성한 코드({function}.backward)입니다. {unchecked[1]}",
        )
    return Rule(
        node_name,
        title,
        f"{{y}} = {function}.apply(…)",
        f"grad_input = {function}.backward(ctx, grad)",
        words,
        slots,
        checked=False,
    )


def _sent(function: str, index: int):
    def grad(ctx: Ctx) -> Expr:
        theirs = ctx.grad_inputs[index]
        if isinstance(theirs, Unreadable):
            raise theirs.missing()
        text = f"{function}.backward(ctx, {{0}})[{index}]"
        value = None if theirs is None else theirs.detach().double()
        return Form(text, text, [ctx.grad], lambda g: value)

    return grad


COPY_SLICES_REASON = (
    "which part of the tensor the in-place write covered is not among the saved values",
    "제자리 연산이 텐서의 어느 부분에 썼는지는 저장된 값에 없습니다",
)


def _copy_slices(ctx: Ctx) -> tuple[Slot, ...]:
    base = Slot(
        "self",
        "x",
        lambda c: Unknown(
            "grad, with the written part replaced by what the in-place op sends back",
            "grad (덮어쓴 부분은 제자리 연산이 돌려준 그래디언트로 바꿈)",
            COPY_SLICES_REASON,
        ),
    )
    others = tuple(
        Slot(
            f"input{i}",
            f"v{i}",
            lambda c: Unknown(
                "the in-place op's gradient for this input, from grad's written part",
                "덮어쓴 부분의 grad로 계산한, 제자리 연산의 이 입력에 대한 그래디언트",
                COPY_SLICES_REASON,
            ),
        )
        for i in range(1, ctx.slot_count())
    )
    return (base, *others)


add(
    Rule(
        "CopySlices",
        ("in-place write into part of a tensor", "텐서 일부에 제자리(in-place) 쓰기"),
        "{y}[part] = …",
        ("grad_{x} = grad outside the written part", "grad_{x} = 덮어쓴 부분 밖의 grad"),
        (
            "An in-place op changed part of a tensor ({y}[i] = …). The entries it overwrote no longer depend on "
            "their old values, so the old tensor gets grad everywhere except there; the written part's gradient "
            "goes to the values written.",
            "제자리 연산이 텐서의 일부를 바꿨습니다({y}[i] = …). 덮어쓴 원소는 더 이상 예전 값에 의존하지 "
            "않으므로, 예전 텐서는 그 부분을 뺀 나머지에서만 grad를 받고, "
            "덮어쓴 부분의 그래디언트는 새로 쓴 값 쪽으로 갑니다.",
        ),
        _copy_slices,
    )
)
