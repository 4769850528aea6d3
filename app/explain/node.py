"""`explain_node`: one backward node's explanation (the Run's `explain`, see CONTRACT.md v2), checked against
the gradients PyTorch produced."""

import collections
import contextlib
import functools
import re
import string
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any

import torch
from torch import Tensor

from ..graph import out_of_memory
from .check import compare, failed
from .expr import Expr, Form, Sym, drops_non_finite, numel, passes_nan
from .rule import (
    PLAIN_NAME,
    RULES,
    Ctx,
    Missing,
    Rule,
    Slot,
    Unreadable,
    as_variant,
    atom_end,
    is_plain,
    left_out,
    outputs_left_out,
    unreadable_in,
)
from .show import show_tensor

NUMBERS_MAX_CHARS = 2000  # past this the numbers are written with shapes and first entries only
# Autograd's own C++ nodes without a digit at the end; every other such name is a Python autograd.Function's.
CPP_NODES = frozenset(
    {
        "AccumulateGrad",
        "CopySlices",
        "GraphRoot",
        "Error",
        "NotImplemented",
        "DelayedError",
        "UndefinedGrad",
        "UndefinedGradBackward",
        "CopyBackwards",
        "Identity",
    }
)
USER_FUNCTION = re.compile(r"^(?P<name>\w+)Backward$")
DROPPED = (  # (a mask's 0 met an infinite or NaN gradient: the numbers show `inf ⊙ 0 = 0`)
    "Multiplying by a mask (1[…], onehot, a step's 0) selects, as PyTorch computes it: where the mask is 0 the "
    "result is 0, even for an inf or nan gradient (a plain product would give nan: inf · 0).",
    "마스크(1[…], onehot, 계단 함수의 0)를 곱하는 것은 PyTorch가 계산하는 대로 골라내기입니다. 마스크가 0인 자리는 "
    "그래디언트가 inf나 nan이어도 결과가 0입니다(그냥 곱하면 inf · 0 = nan이 됩니다).",
)
NAN_PASSES = (  # (a mask compared a NaN and passes the gradient there, as PyTorch's backward does)
    "Where a compared value was NaN the mask is 1: PyTorch's backward tests where to send 0 (relu: y ≤ 0), and every "
    "comparison with NaN is false, so a NaN entry passes the gradient.",
    "비교한 값이 NaN인 자리는 마스크가 1입니다. PyTorch의 역전파는 0을 보낼 자리를 검사하는데(relu: y ≤ 0) NaN과의 "
    "비교는 언제나 거짓이므로, NaN인 원소는 그래디언트를 통과시킵니다.",
)
NAN_MADE = (  # (the gradient that arrived is finite, the one sent is NaN somewhere: this node made it)
    "NaN starts here: the gradient that arrived is finite (0 where torch.where or a mask chose the other branch), "
    "but this node's derivative is infinite or undefined at some entries (√x or log at 0, √ of a negative number), "
    "and 0 · ∞ is NaN. Backward runs a branch torch.where did not choose too: give it safe inputs first "
    "(torch.where(x > 0, x, 1) before the sqrt or log).",
    "여기서 NaN이 생깁니다. 도착한 그래디언트는 유한한 값이지만(torch.where나 마스크가 다른 쪽을 고른 자리는 0), "
    "이 노드의 미분값이 어떤 자리에서 무한대이거나 정의되지 않아서(0에서의 √x나 log, 음수의 √) 0 · ∞ = NaN이 "
    "됩니다. 역전파는 torch.where가 고르지 않은 쪽도 계산하므로, 그쪽에 먼저 안전한 입력을 주세요(sqrt나 log 앞에 "
    "torch.where(x > 0, x, 1)).",
)
COMPLEX = (
    "its values are complex, and the rules are written for real numbers",
    "값이 복소수인데, 규칙은 실수 텐서에 맞춰 쓰여 있습니다",
)


def explain_node(
    node_name: str,
    grad_outputs: Sequence[Tensor | None],
    grad_inputs: Sequence[Tensor | None],
    saved: Mapping[str, object],
    inputs: Sequence[Tensor | None],
    to: Sequence[str | None],
    names: Sequence[str | None],
    max_elements: int,
    *,
    output_name: str | None = None,
    incoming: Sequence[tuple[str, Tensor | None]] = (),
    user_function: bool | None = None,
    function_module: str | None = None,
    avoid: Collection[str] = (),
    hooks: bool = False,
    brief: tuple[str, str] | None = None,
    grad_before: tuple[int, Tensor | None] | None = None,
    unsent: Sequence[str] = (),
) -> dict | None:
    """The `explain` dict of one backward node, or None when no rule covers it.

    - `node_name`: the node's class name (`type(node).__name__`: `PowBackward0`, `AccumulateGrad`, `CubeBackward`).
    - `grad_outputs`: what the node's post hook received as `grad_outputs` (the gradients it got, one per forward
      output; None where PyTorch passed none).
    - `grad_inputs`: what the post hook received as `grad_inputs` (the gradients it sent, one per
      `next_functions` slot; None where it sent none).
    - `saved`: the node's saved values by name, as its `_saved_<name>` attributes returned them before backward
      (`self`, `other`, `result`, `exponent`, `self_sym_sizes`, `dim`...; a custom Function's `saved_tensors`).
    - `inputs`: the forward input tensor of each slot where known, else None (only shapes are read from them).
    - `to`: the forward tensor id each slot's gradient is for (copied into the answer).
    - `names`: the snippet's name of each slot's forward input (None: formulas use a letter).
    - `max_elements`: tensors up to this many values are written out in `numbers`; larger ones by shape and first
      entries.
    - `output_name`: the snippet's name of the node's output (`y` in `∂y/∂x`); for AccumulateGrad, the leaf's.
    - `incoming`: for AccumulateGrad, every path that reached the leaf in this pass: (the sending node's label,
      the gradient it sent).
    - `user_function`: whether the node is a Python `torch.autograd.Function`'s (None: guessed from its name);
      `function_module`: the module its class is defined in (PyTorch's own, `torch.utils.checkpoint`, are said
      to be PyTorch's, not the snippet's).
    - `avoid`: names the snippet uses; formulas give unnamed tensors letters not among them (no `x` for an
      unnamed `y_pred - y_true` in a snippet that has an `x`).
    - `hooks`: whether the snippet's tensor hooks (`t.register_hook`) ran on the gradient this node took in. For
      AccumulateGrad (a hooked leaf) they run on the summed gradient before it is added, so that step is the
      snippet's code and is not checked; any other node's words say its `grad` is what the hooks returned, not
      what arrived along its arrows.
    - `grad_before`: for AccumulateGrad, (the pass that ran it last, its leaf's `.grad` just before that pass added
      into it, None if it had none): the words then say what `.grad` holds after it (`6 + 5 = 11`, or `0 + 5 = 5`
      after `zero_()`).

    - `unsent`: for each slot, why a gradient it did not send was not sent (a key of `UNSENT`): "needless" (its input
      needs no gradient: the default), "unasked" (its input needs one, but this pass computed only the gradients its
      call asked for: `autograd.grad(y, x)`, `backward(inputs=[x])`) or "empty" (PyTorch passed nothing there: an
      all-zero gradient, as a custom Function's backward returning None for it) or "written" (its input is a number the
      code wrote: `x * 3`'s 3) or "number" (a Python number the code did not write there: `x * k`, `k = m.item()`).

    - `brief`: (English, Korean) why this node gets its formulas only: no numbers, no checks, and the words end
      with "Numbers and check left out: <why>." (a run too large to explain every node in full). A value that
      cannot be read is then written as any value of its shape (its shape is all a formula needs).

    Any tensor may be given as `Unreadable(reason)` (a value the recorder holds but cannot read): what needs it is
    not checked, and the words give the reason.

    Never runs user code and never changes a tensor it is given (it reads detached values under no_grad), and
    never raises: a bug of gradwalk's own is shown as a failed check, and the run goes on.
    """
    try:
        explanation = _explain_node(
            node_name,
            grad_outputs,
            grad_inputs,
            saved,
            inputs,
            to,
            names,
            max_elements,
            output_name=output_name,
            incoming=incoming,
            user_function=user_function,
            function_module=function_module,
            avoid=avoid,
            hooks=hooks,
            brief=brief,
            grad_before=grad_before,
            unsent=unsent,
        )
        if explanation is None:
            return None
        named = [n for n in (*names, output_name) if n]
        wrapped = {n for n in named if not is_plain(n)}
        called = any(PLAIN_NAME.match(n) is None and n not in wrapped for n in named)  # (`model(x)`: see below)
        if wrapped or called:
            explanation = _rewritten(explanation, lambda text: bracketed_once(text, wrapped, called))
        if output_name is not None and not output_name.isidentifier():  # (`lp[0] = lp[0]` too: a subscript)
            explanation["words"] = {k: said_once(text) for k, text in explanation["words"].items()}
        return explanation
    except Exception as error:  # (outside a rule's own evaluation: reading the values, the words around them)
        # (AccumulateGrad's one entry is the gradient it received for its leaf)
        return broken(node_name, grad_outputs if node_name == "AccumulateGrad" else grad_inputs, to, error)


def _rewritten(explanation: dict[str, Any], rewrite: Callable[[str], str]) -> dict[str, Any]:
    """`explanation` with `rewrite` applied to each of its texts (its words and formulas)."""

    def each(pair: dict[str, str] | None) -> dict[str, str] | None:
        return None if pair is None else {"en": rewrite(pair["en"]), "ko": rewrite(pair["ko"])}

    for entry in explanation["inputs"]:
        entry["formula"] = each(entry["formula"])
    return {**explanation, "words": each(explanation["words"]), "formula": each(explanation["formula"])}


_BRACKET = re.compile(r"[()]")
_SUBSCRIPT = re.compile(r"[∂√^]|(?<![\w.])grad_")  # (`√(a.exp())`, `2^(x.sum())`: a root, an exponent)


def bracketed_once(text: str, names: Collection[str], called: bool = False) -> str:
    """`text` with `((name))` written `(name)` for each of `names` (bracketed names that a formula put in brackets of
    its own: `σ((model(X) + b))` is written `σ(model(X) + b)`). With `called`, a name that is a call or an index
    (`model(x)`, written bare elsewhere: `2·(model(x) - t)`) is bracketed after `∂`, `grad_`, `√` and `^`, where it
    would read as part of them: `grad_(model(x))`, `∂L/∂(c.sum())`, `√(a.exp())`; and before a subscript, a power, an
    inverse or `ᵀ`: `(model(x))ᵀ`, `(a.exp())⁻¹`. (Each text is read once, whatever the count of names: a
    stack of 5000 named tensors, each name looked for in each of its 5000 formulas, took 10 s.)"""
    start = text.find("((") if names else -1
    while start != -1:
        depth, end = 0, start + 1
        for found in _BRACKET.finditer(text, start + 1):  # (the `)` that closes the inner `(`; brackets only)
            end = found.start()
            depth += 1 if found[0] == "(" else -1
            if depth == 0:
                break
        if depth == 0 and text[start + 2 : end] in names and text[end + 1 : end + 2] == ")":
            text = text[:start] + text[start + 1 : end + 1] + text[end + 2 :]
        start = text.find("((", start + 1)
    if not called:
        return text
    parts, done = [], 0
    for found in _SUBSCRIPT.finditer(text):
        first = found.end()
        last = atom_end(text, first) if first >= done else None
        if last is None or PLAIN_NAME.match(text[first:last]) or enclosed(text[first:last]):
            continue
        parts += [text[done:first], "(", text[first:last], ")"]
        done = last
    text = "".join(parts) + text[done:] if parts else text
    parts, done = [], 0
    for found in _SUBSCRIPTED.finditer(text):  # (`(torch.cat(…))ⱼ`, `(model(x))ᵀ`, not `torch.cat(…)ⱼ`)
        last = found.start() + 1
        starts = _atom_start(text, last)
        if starts is None or starts < done or PLAIN_NAME.match(text[starts:last]) or enclosed(text[starts:last]):
            continue
        parts += [text[done:starts], "(", text[starts:last], ")"]
        done = last
    return "".join(parts) + text[done:] if parts else text


_SUBSCRIPTED = re.compile(r"[)\]][ᵢⱼₖₗₘₙᵀ²³ᵏ⁻⁺^]")  # (and `(A.exp())⁻¹`, `(A.exp())⁺`, `(x.sum())^(0.5)`)


def _atom_start(text: str, end: int) -> int | None:
    """Where the one expression nothing can split that ends at `text[end - 1]` (a `)` or `]`) starts (see
    `is_plain`); None if its brackets do not match."""
    at = end
    while at > 0:
        char = text[at - 1]
        if char in ")]":
            depth, opening = 0, at - 1
            for opening in range(at - 1, -1, -1):  # (back to the bracket that opens it)
                depth += {")": 1, "]": 1, "(": -1, "[": -1}.get(text[opening], 0)
                if depth == 0:
                    break
            if depth != 0:
                return None
            at = opening
        elif char.isalnum() or char in "_.ᵀ′":
            at -= 1
        else:
            break
    return at


def _explain_node(
    node_name: str,
    grad_outputs: Sequence[Tensor | None],
    grad_inputs: Sequence[Tensor | None],
    saved: Mapping[str, object],
    inputs: Sequence[Tensor | None],
    to: Sequence[str | None],
    names: Sequence[str | None],
    max_elements: int,
    *,
    output_name: str | None = None,
    incoming: Sequence[tuple[str, Tensor | None]] = (),
    user_function: bool | None = None,
    function_module: str | None = None,
    avoid: Collection[str] = (),
    hooks: bool = False,
    brief: tuple[str, str] | None = None,
    grad_before: tuple[int, Tensor | None] | None = None,
    unsent: Sequence[str] = (),
) -> dict | None:
    """explain_node's work, unguarded."""
    custom = user_function if user_function is not None else _looks_custom(node_name)
    rule: Rule | None
    with torch.no_grad():
        # (complex values: written out as what they are, never checked against a real-number rule)
        # (a rule written for complex values it receives and saves, `extra["complex"]`, reads them as they are: what
        # it sends must still be real to be checked)
        known = RULES.get(node_name)
        if custom or known is None or not known.extra.get("complex"):
            grad_outputs = [_real(g) for g in grad_outputs]
            saved = {k: [_real(v) for v in v_] if isinstance(v_, list) else _real(v_) for k, v_ in saved.items()}
        grad_inputs = [_real(g) for g in grad_inputs]
        incoming = [(label, _real(g)) for label, g in incoming]
        if brief is not None:  # (formulas only: a value that cannot be read stands in as zeros of its shape)
            grad_outputs, grad_inputs, saved = _stood_in(grad_outputs), _stood_in(grad_inputs), _stood_in_saved(saved)
            incoming = [(label, stand_in(g)) for label, g in incoming]
        if node_name == "AccumulateGrad":
            from .rules.special import explain_accumulate

            before = None if grad_before is None else (grad_before[0], _real(grad_before[1]))
            return explain_accumulate(
                grad_outputs, to, names, output_name, incoming, max_elements, hooks, brief, avoid, before
            )
        if custom:
            from .rules.special import user_function_rule

            rule = user_function_rule(node_name, function_module)
        else:
            rule = RULES.get(node_name)
        if rule is None:
            return None
        ctx = Ctx(rule, grad_outputs, grad_inputs, saved, inputs, names, output_name, avoid)
        try:
            ctx = as_variant(ctx)
            rule = ctx.rule
            if rule.supports is not None and not rule.supports(ctx):
                return None
            made = _explain(rule, ctx, to, max_elements, brief, unsent=unsent)
            if hooks and made is not None:
                said = words_of(HOOKED, {"y": ctx.output_label()})
                made["words"] = {k: f"{made['words'][k]} {said[k]}" for k in ("en", "ko")}
            return made
        except Missing as missing:  # (a rule that needs a value to tell which variant it is)
            return _unchecked(rule, ctx, to, missing.args, unsent)
        except Exception as error:  # a rule's own bug: shown as such, never hidden
            unreadable = _unreadable(grad_outputs, saved)
            if unreadable is not None:  # (a rule that reads the values directly met one it cannot read)
                return _unchecked(rule, ctx, to, unreadable.reason, unsent)
            if out_of_memory(error):  # (the run's memory limit, not a bug: an expand of a few values to 10^8)
                return _unchecked(rule, ctx, to, TOO_LARGE_TO_COMPUTE, unsent)
            return _broken(rule, ctx, to, error)


TOO_LARGE_TO_COMPUTE = (
    "its values were too large to compute the formula with in the memory a run may use",
    "값이 너무 커서 한 번의 실행에 허용된 메모리로는 식을 계산할 수 없었습니다",
)


HOOKED = (
    "The snippet's hook on {y} (register_hook) ran first: the grad this node took in is what the hook returned, not "
    "what arrived along its arrows.",
    "코드에서 {y}에 건 훅(register_hook)이 먼저 실행되었습니다. 이 노드가 받은 grad는 화살표로 도착한 값이 아니라 "
    "훅이 돌려준 값입니다.",
)


def _real(value: Any) -> Any:
    """`value`, or Unreadable if it is a complex tensor (the rules' formulas and numbers are for real ones)."""
    if isinstance(value, Tensor) and value.is_complex():
        return Unreadable(COMPLEX, tuple(value.shape))
    return value


def stand_in(value: Any) -> Any:
    """For a brief explanation (formulas, no numbers): a value that cannot be read as zeros of its shape, when its
    shape is known, so that it is written as any value of that shape is. One zero seen at every index (`expand`): a
    convolution's zeros of its real shape took 5 ms each, and a run short of time spent half a second on them."""
    if isinstance(value, Unreadable) and value.shape is not None:
        return torch.zeros((), dtype=torch.float64).expand(value.shape)
    return value


def _stood_in(values: Sequence[Any]) -> list[Any]:
    return [stand_in(v) for v in values]


def _stood_in_saved(saved: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _stood_in(value) if isinstance(value, list) else stand_in(value) for k, value in saved.items()}


def _stood_in_ctx(ctx: Ctx) -> Ctx:
    """`ctx` with each value that cannot be read standing in as zeros of its shape (see stand_in), for formulas
    without numbers; the same letters for unnamed tensors."""
    grad_outputs, saved = _stood_in(ctx.grad_outputs), _stood_in_saved(ctx.saved)
    # (a saved tensor whose shape is not known, one a saved-tensor hook packed, as the input or output it is)
    with contextlib.suppress(Exception):
        for index, slot in enumerate(ctx.slots()):
            shape = ctx.input_shape(index) if _shapeless(saved.get(slot.arg)) else None
            if shape is not None:
                saved[slot.arg] = torch.zeros(shape, dtype=torch.float64)
    if _shapeless(saved.get("result")) and grad_outputs and isinstance(grad_outputs[0], Tensor):
        saved["result"] = torch.zeros_like(grad_outputs[0])
    # (the rest, shapes unknown, as one number: the formulas' text needs a value, not its shape; a gradient that was
    # not recorded, as one the formulas for another output need, too)
    saved = {k: ZERO if _shapeless(v) else v for k, v in saved.items()}
    grad_outputs = [ZERO if g is None or _shapeless(g) else g for g in grad_outputs]
    stood_in = Ctx(
        ctx.rule, grad_outputs, _stood_in(ctx.grad_inputs), saved, ctx.inputs, ctx.names, ctx.output_name, ctx.avoid
    )
    stood_in._letters = ctx._letters
    return stood_in


ZERO = torch.zeros((), dtype=torch.float64)


def _shapeless(value: Any) -> bool:
    return isinstance(value, Unreadable) and value.shape is None


def _unreadable(grad_outputs: Sequence[object], saved: Mapping[str, object]) -> Unreadable | None:
    for value in (*grad_outputs, *saved.values()):
        found = unreadable_in(value)
        if found is not None:
            return found
    return None


def _looks_custom(node_name: str) -> bool:
    return node_name not in CPP_NODES and node_name not in RULES and USER_FUNCTION.match(node_name) is not None


def fill(template: str, values: Mapping[str, str]) -> str:
    """`template` with `{key}` replaced by its value (unknown keys kept as written, or a defaultdict's default)."""
    parts = _parts(template)
    if len(parts) == 1:
        return template
    look = values.__getitem__ if isinstance(values, collections.defaultdict) else None
    out = list(parts)
    for i in range(1, len(parts), 2):  # (odd places: the keys)
        key = parts[i]
        out[i] = look(key) if look is not None else values.get(key, f"{{{key}}}")
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def _parts(template: str) -> tuple[str, ...]:
    """A template split at its `{key}`s: text, key, text, ..., text (one split per template: rules reuse theirs)."""
    return tuple(re.split(r"\{(\w+)\}", template))


def words_of(pair: tuple[str, str] | str, values: Mapping[str, str]) -> dict:
    en, ko = (pair, pair) if isinstance(pair, str) else pair
    return {"en": fill(en, values), "ko": fill_korean(ko, values)}


# Korean particles after a name: the form depends on whether the name, read aloud, ends in a consonant (x는 but
# norm은, W가 but L이, A를 but θ를, 3으로 but 1로): (without a final consonant, with one)
PARTICLES = {
    "는": ("는", "은"),
    "은": ("는", "은"),
    "가": ("가", "이"),
    "이": ("가", "이"),
    "를": ("를", "을"),
    "을": ("를", "을"),
    "와": ("와", "과"),
    "과": ("와", "과"),
    "로": ("로", "으로"),
    "으로": ("로", "으로"),
}
PARTICLE = re.compile(r"(으로|은|는|이|가|을|를|과|와|로)(?![가-힣])")
DIGIT_ENDS = {"0": "c", "1": "l", "2": "", "3": "c", "4": "", "5": "", "6": "c", "7": "l", "8": "l", "9": ""}
LETTER_ENDS = {"l": "l", "m": "c", "n": "c", "r": "l"}  # (a letter read by its name: 엘, 엠, 엔, 알)
VOWELS = re.compile("[aeiouy]")
# A short vowel closed by p, t, k (or ck) is read with a final consonant: input 인풋, out 아웃, target 타깃, step 스텝,
# block 블록; a long one or a cluster is not: weight 웨이트, feat 피트, mask 마스크.
SHORT_STOP = re.compile(r"(?:^|[^aeiou])(?:[aeiou]|ou)(?:ck|[ptk])$")
# A final e that is not read leaves the consonant before it final: time 타임, line 라인, dtype 디타입 (a consonant);
# scale 스케일, table 테이블, sample 샘플, module 모듈 (ㄹ). (mask 마스크, image 이미지, rate 레이트 end in a vowel.)
SILENT_E_CONSONANT = re.compile(r".(?:me|ne)$|type$")
SILENT_E_L = re.compile(r".le$")


@functools.lru_cache(maxsize=4096)
def _ending(name: str) -> str | None:
    """How `name` ends when read in Korean: "" (a vowel), "c" (a consonant), "l" (ㄹ, which takes 로 as a vowel
    does); None when it cannot tell (the particle is left as written)."""
    text = name.rstrip(")]}'\"′` _")
    if not text or PLACEHOLDER.search(name):  # (a template's stand-in for a name: `fill_korean_format` decides later)
        return None
    last = text[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28
        return "" if final == 0 else "l" if final == 8 else "c"
    if last in "²³":  # (제곱, 세제곱)
        return "c"
    if last in DIGIT_ENDS:
        return DIGIT_ENDS[last]
    if "₀" <= last <= "₉":  # (a subscript is read as its digit: o₁ 오 일)
        return DIGIT_ENDS[str(ord(last) - ord("₀"))]
    if last.isascii() and last.isalpha():
        word = re.search(r"[A-Za-z]+$", text)
        letters = word.group(0).lower() if word else last.lower()
        if len(letters) == 1 or not VOWELS.search(letters):  # (read letter by letter: lr 엘알, fc 에프씨)
            return LETTER_ENDS.get(letters[-1], "")
        if letters.endswith(("ng", "m", "n")) or SHORT_STOP.search(letters) or SILENT_E_CONSONANT.search(letters):
            return "c"
        return "l" if letters.endswith("l") or SILENT_E_L.search(letters) else ""
    if last.isalpha():  # (a Greek letter: 세타, 람다, 시그마... end in a vowel)
        return ""
    return None


PLACEHOLDER = re.compile(r"_gw\d+_$")


def _particle_after(value: str, text: str, before: str = "") -> str:
    """`text` (what follows `value`) with a particle at its start, or after the brackets that close a formula `value`
    ends (`(pred - {t})를`: read `t를`), in the form `value` takes. `before` is the template's text before `value`."""
    found = _particle_at(before, text)
    ending = _ending(value) if found else None
    if found is None or ending is None:
        return text
    return text[: found.start(1)] + _particle_form(PARTICLES[found.group(1)], ending) + text[found.end() :]


# A particle right after a name, or after the brackets closing a formula the name ends
PARTICLE_CLOSING = re.compile(r"[)\]]*(으로|은|는|이|가|을|를|과|와|로)(?![가-힣])")


def _particle_at(before: str, text: str) -> re.Match | None:
    """The particle at the start of `text`, which follows a name whose template text before it is `before`; None
    where there is none, or where the brackets before it close a gloss of a Korean word (`몫({mode})은`: the
    particle is 몫's, as written), not a formula."""
    found = PARTICLE_CLOSING.match(text)
    if found is None or found.start(1) == 0:
        return found
    depth, unmatched = 0, found.start(1)
    for index in range(len(before) - 1, -1, -1):
        char = before[index]
        if char in ")]":
            depth += 1
        elif char in "([" and depth:
            depth -= 1
        elif char in "([":
            unmatched -= 1
            if unmatched == 0:
                return None if index and "가" <= before[index - 1] <= "힣" else found
    return None


def _particle_form(forms: tuple[str, str], ending: str) -> str:
    """Which of a particle's two forms follows a name that ends so (see `_ending`): 는, not 은, after a vowel."""
    return forms[0] if ending == "" or (ending == "l" and forms[0] == "로") else forms[1]


@functools.lru_cache(maxsize=4096)
def has_particle(template: str) -> bool:
    """Whether a particle follows a placeholder in `template` (most templates have none: filled as they are)."""
    return PARTICLE_AFTER.search(template) is not None


PARTICLE_AFTER = re.compile(r"\}[)\]]*(으로|은|는|이|가|을|를|과|와|로)(?![가-힣])")


def fill_korean_format(pattern: str, labels: Sequence[str]) -> str:
    """`pattern.format(*labels)` (`{0}`, `{1}`... the names), each particle after a name in the form it takes."""
    if not has_particle(pattern):
        return pattern.format(*labels)
    return fill_korean_pieces(korean_pieces(pattern), labels)


# A format string's pieces: its text before each field, the field, and the particle that opens the text (its two
# forms and the text after it), if any.
KoreanPieces = tuple[tuple[str, int | None, tuple[tuple[str, str], str, str] | None], ...]


@functools.lru_cache(maxsize=4096)
def korean_pieces(pattern: str) -> KoreanPieces:
    """`pattern` read once for `fill_korean_pieces` (a run's nodes of one kind share it): the particle after each field
    found once, not again for each node's names."""
    pieces = []
    before = ""
    for text, field in _format_parts(pattern):
        found = _particle_at(before, text)
        particle = None if found is None else (PARTICLES[found.group(1)], text[: found.start(1)], text[found.end() :])
        pieces.append((text, field, particle))
        before += text + ("" if field is None else "_")
    return tuple(pieces)


def fill_korean_pieces(pieces: KoreanPieces, labels: Sequence[str]) -> str:
    """`fill_korean_format` of the pattern `pieces` were read from."""
    out: list[str] = []
    value: str | None = None
    for text, field, particle in pieces:
        if value is not None and particle is not None:
            ending = _ending(value)
            if ending is not None:
                text = particle[1] + _particle_form(particle[0], ending) + particle[2]
        out.append(text)
        value = None if field is None else labels[field]
        if value is not None:
            out.append(value)
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def _format_parts(pattern: str) -> tuple[tuple[str, int | None], ...]:
    """A format string's (text, field) pairs (one parse per template: a run's nodes of one kind share theirs)."""
    return tuple(
        (text, None if field is None else int(field)) for text, field, _, _ in string.Formatter().parse(pattern)
    )


def fill_korean(template: str, values: Mapping[str, str]) -> str:
    """`fill`, with each particle right after a filled-in name in the form that name takes (`x는`, `norm은`)."""
    if not has_particle(template):
        return fill(template, values)
    parts = list(_parts(template))
    if len(parts) == 1:
        return template
    look = values.__getitem__ if isinstance(values, collections.defaultdict) else None
    template_parts = _parts(template)
    for i in range(1, len(parts), 2):
        key = parts[i]
        value = look(key) if look is not None else values.get(key, f"{{{key}}}")
        parts[i] = value
        if value != f"{{{key}}}":
            closed = parts[i + 1][:1] in (")", "]")  # (the template's text before it matters only then)
            parts[i + 1] = _particle_after(value, parts[i + 1], "".join(template_parts[:i]) if closed else "")
    return "".join(parts)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _explain(
    rule: Rule,
    ctx: Ctx,
    to: Sequence[str | None],
    max_elements: int,
    brief: tuple[str, str] | None = None,
    why: tuple[str, str] | None = None,
    unsent: Sequence[str] = (),
) -> dict:
    """The node's explanation; given `brief` (why), its formulas only, the words ending with that reason (`why`:
    the words' own note of it instead)."""
    values = ctx.mapping()
    words = words_of((rule.words[0], rule.words[1]), values)
    head = words_of(rule.title, values)
    forward = words_of(rule.forward, values)
    words = {
        "en": f"{_capitalized(head['en'])}: {forward['en']}. {words['en']}",
        "ko": f"{head['ko']}: {forward['ko']}. {words['ko']}",
    }
    slots = ctx.slots()
    entries, notes = [], []
    for index in range(ctx.slot_count()):
        slot = slots[index] if index < len(slots) else None
        reason = UNSENT[unsent[index] if index < len(unsent) else "needless"]
        checked = rule.checked and brief is None
        entry, said = _entry(ctx, index, slot, to, max_elements, checked, brief, reason)
        entries.append(entry)
        notes += [note for note in said if note not in notes]
    left = outputs_left_out(rule, ctx.grad_outputs)
    if left and any(e["check"] is not None for e in entries):  # (formulas without a gradient the node received)
        for entry in entries:
            entry["check"] = None
        notes.append(_not_checked(_other_outputs(left)))
    if any(e["check"] is not None and not e["check"]["ok"] for e in entries):
        notes.append(
            (
                "This rule does not match what PyTorch computed (see the check).",
                "이 규칙은 PyTorch가 실제로 계산한 값과 맞지 않습니다(검사 결과를 보세요).",
            )
        )
    local = _local(rule, ctx, values)
    template = rule.local if isinstance(rule.local, str) else rule.local[0]
    if "∂L/∂" in template:  # (a matrix's formulas: the Jacobian is too big to write, the gradient of L is not)
        output = values.get("y", "y")
        notes.append(
            (
                f"Here L is what the backward pass started from (in training, the loss), and grad = ∂L/∂{output}.",
                f"여기서 L은 역전파를 시작한 값(학습에서는 손실)이고, grad는 ∂L/∂{output}입니다.",
            )
        )
    if brief is not None:
        notes.append(why or left_out(brief))
    for en, ko in notes:
        words["en"] += " " + en
        words["ko"] += " " + ko
    return {"rule": rule.node, "words": words, "formula": local, "inputs": entries}


def _local(rule: Rule, ctx: Ctx, values: Mapping[str, str]) -> dict:
    """The rule's local derivatives, but for those with respect to a number the snippet wrote (`∂y/∂3`): cut from
    the template, before names (which may hold commas) are filled in."""
    local = rule.local
    try:
        slots = ctx.slots()
    except Missing:  # (slots that depend on a value that could not be read: no number is known either)
        return words_of(local, values)
    numbers = tuple(
        f"∂{{y}}/∂{{{slots[i].letter}}} " for i in range(min(ctx.slot_count(), len(slots))) if ctx.number(i) is not None
    )
    if numbers:
        pair = (local, local) if isinstance(local, str) else local
        cut = [[part for part in text.split(", ") if not part.startswith(numbers)] for text in pair]
        local = (", ".join(cut[0]) or pair[0], ", ".join(cut[1]) or pair[1])
    # one tensor as two inputs (`x * x`): each derivative says which input it is for, as the steps name them; two
    # `∂y/∂x = x` read as the derivative of x · x, which is 2 · x (the two paths' sum, in x's AccumulateGrad)
    count = min(ctx.slot_count(), len(slots))
    labels = [values.get(slots[i].letter) for i in range(count)]
    seen = collections.Counter(labels)
    twice = {slots[i].letter: i for i in range(count) if labels[i] is not None and seen[labels[i]] > 1}
    if twice:
        en, ko = (local, local) if isinstance(local, str) else local
        heads = re.compile("∂{y}/∂{(" + "|".join(map(re.escape, twice)) + ")} ")
        en = heads.sub(lambda m: f"{m[0]}(input {twice[m[1]]}) ", en)
        ko = heads.sub(lambda m: f"{m[0]}({_korean_ordinal(twice[m[1]])} 입력) ", ko)
        local = (en, ko)
    return words_of(local, values)


def _korean_ordinal(i: int) -> str:
    return KOREAN_ORDINALS[i] if i < len(KOREAN_ORDINALS) else f"{i + 1}번째"


KOREAN_ORDINALS = ("첫 번째", "두 번째", "세 번째", "네 번째", "다섯 번째", "여섯 번째", "일곱 번째", "여덟 번째")


def _target(ctx: Ctx, index: int, slot: Slot | None) -> str:
    return "grad_" + (ctx.label(index, slot.letter) if slot is not None else f"input{index}")


# Why a node sent no gradient to a slot (explain_node's `unsent`), as the slot's formula ends: "(not sent: …)".
UNSENT = {
    "needless": ("this input needs no gradient", "이 입력은 그래디언트가 필요 없습니다"),
    "written": (
        "this input is a number the code wrote, which needs no gradient",
        "이 입력은 코드에 쓴 수라서 그래디언트가 필요 없습니다",
    ),
    "number": (
        "this input is a Python number, not a tensor, which needs no gradient",
        "이 입력은 텐서가 아닌 파이썬 수라서 그래디언트가 필요 없습니다",
    ),
    "unasked": (
        "this input needs a gradient, but this pass computed only those its call asked for, as autograd.grad's "
        "inputs or backward's inputs= name them",
        "이 입력도 그래디언트가 필요하지만, 이번 역전파는 호출에서 요청한 입력(autograd.grad의 inputs, "
        "backward의 inputs=)의 그래디언트만 계산했습니다",
    ),
    "empty": (
        "the node's backward gave no gradient here (None), which counts as a gradient of zeros",
        "이 노드의 backward가 여기에는 그래디언트를 주지 않았습니다(None). 0으로 채운 그래디언트와 같습니다",
    ),
}


# What a constant a node sent no gradient to is: a number the code wrote (`x * 3`), or else (an unnamed tensor that
# needs none, the seed of a double backward) one of the others.
CONSTANTS = {
    "written": ("a number the code wrote", "코드에 쓴 수"),
    "number": (
        "a Python number, not a tensor: no graph leads back from it, even where it came out of a tensor by .item()",
        "텐서가 아닌 파이썬 수이며, .item()으로 텐서에서 꺼낸 값이라도 그래프와 이어지지 않는 수",
    ),
    "needless": (
        "a tensor that needs no gradient, or the gradient a backward pass started from",
        "requires_grad=False인 텐서, 또는 역전파를 시작할 때 넣은 그래디언트",
    ),
}


def _entry(
    ctx: Ctx,
    index: int,
    slot: Slot | None,
    to: Sequence[str | None],
    max_elements: int,
    checked: bool,
    brief: tuple[str, str] | None = None,
    unsent: tuple[str, str] = UNSENT["needless"],
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """(the ExplainedInput dict of slot `index`, the notes for the node's words; `unsent`: why a gradient it did
    not send was not sent, a value of UNSENT)."""
    target = _target(ctx, index, slot)
    entry: dict[str, Any] = {
        "slot": index,
        "to": to[index] if index < len(to) else None,
        "formula": None,
        "numbers": None,
        "check": None,
    }
    theirs = ctx.grad_inputs[index]
    if slot is None:
        entry["formula"] = {"en": f"{target} = ?", "ko": f"{target} = ?"}
        entry["check"] = failed()
        return entry, []
    if theirs is None and unsent is UNSENT["needless"] and _absent(ctx, slot):
        entry["formula"] = {
            "en": f"{target}: not sent (the call gave no {slot.arg}: None)",
            "ko": f"{target}: 보내지 않음(호출에 {slot.arg}를 주지 않았습니다: None)",
        }
        return entry, []
    number = ctx.number(index)
    if number is not None:  # (which constant it is, where the recording knows: `x * 3`'s 3 the code wrote)
        kind = CONSTANTS[next((k for k in ("written", "number") if unsent is UNSENT[k]), "needless")]
        entry["formula"] = {
            "en": f"{number}: a constant ({kind[0]}), so no gradient goes to it",
            "ko": f"{number}: 그래디언트가 필요 없는 상수({kind[1]})라서 그래디언트를 받지 않습니다",
        }
        return entry, []
    entry["formula"] = {"en": f"{target} = ?", "ko": f"{target} = ?"}
    try:
        expr = slot.grad(ctx)
        entry["formula"] = {"en": f"{target} = {expr.text('en')}", "ko": f"{target} = {expr.text('ko')}"}
        if theirs is None:
            entry["formula"]["en"] += f" (not sent: {unsent[0]})"
            entry["formula"]["ko"] += f" (보내지 않음: {unsent[1]})"
            return entry, []
        if brief is not None:
            return entry, []
        value = torch.as_tensor(expr.value(), dtype=torch.float64)
        entry["numbers"] = numbers_of(expr, value, max_elements)
    except Missing as missing:
        if theirs is None:
            if any(g is not None for g in ctx.grad_outputs):  # it ran, and sent nothing here
                entry["formula"] = {
                    "en": f"{target}: not sent ({unsent[0]})",
                    "ko": f"{target}: 보내지 않음({unsent[1]})",
                }
            return entry, []
        with contextlib.suppress(Exception):  # (written as for any values of their shapes, if that is enough)
            expr = slot.grad(_stood_in_ctx(ctx))
            entry["formula"] = {"en": f"{target} = {expr.text('en')}", "ko": f"{target} = {expr.text('ko')}"}
        return entry, [_not_checked(missing.args)]
    if isinstance(theirs, Unreadable):
        return entry, [_not_checked(theirs.reason)]
    if checked:
        received = tuple(g.dtype for g in ctx.grad_outputs if isinstance(g, Tensor) and g.is_floating_point())
        entry["check"] = compare(value, theirs, expr.scale, received)
    said = ((DROPPED, drops_non_finite(expr)), (NAN_PASSES, passes_nan(expr)), (NAN_MADE, _makes_nan(theirs, ctx)))
    return entry, [note for note, holds in said if holds]


def _makes_nan(theirs: object, ctx: Ctx) -> bool:
    """Whether the gradient the node sent (`theirs`) holds a NaN though every gradient it received is finite."""
    if not isinstance(theirs, Tensor) or not theirs.is_floating_point() or theirs.layout is not torch.strided:
        return False
    received = [g for g in ctx.grad_outputs if isinstance(g, Tensor)]
    if not received or any(not g.is_floating_point() or g.layout is not torch.strided for g in received):
        return False
    return bool(torch.isnan(theirs).any()) and all(bool(torch.isfinite(g).all()) for g in received)


def _absent(ctx: Ctx, slot: Slot) -> bool:
    """Whether the forward call was given no tensor for the slot (None: `F.layer_norm(x, (4,))`'s weight and bias, a
    layer made with bias=False): autograd saves it undefined, or, for a bias it does not save, an empty bias size or
    an undefined weight (an affine pair: both or neither)."""
    saved = ctx.saved
    if slot.arg in saved:
        return saved[slot.arg] is None
    if slot.arg != "bias":
        return False
    if "bias_sym_sizes_opt" in saved:
        sizes = saved["bias_sym_sizes_opt"]
        return not sizes or tuple(int(v) for v in sizes) == (0,)
    return "weight" in saved and saved["weight"] is None


DERIVED_MAX_CHARS = 24  # a longer formula is no name: the tensor keeps a letter
OUTPUT = "gradwalk_output"  # (what forward_formula calls the output, to cut it off)


def forward_formula(node_name: str, saved: Mapping[str, object], names: Sequence[str | None]) -> str | None:
    """What a node's output is, written with its inputs' names (`x²`, `(x²) · 3`): a name for a tensor the snippet
    never bound, that torch made along the way (inside an op, or while backward ran with create_graph=True). None
    when the rule writes its op in words, an input has no name, or the formula is long."""
    rule = RULES.get(node_name)
    if rule is None:
        return None
    try:
        with torch.no_grad():
            saved = {k: [_real(v) for v in v_] if isinstance(v_, list) else _real(v_) for k, v_ in saved.items()}
            ctx = as_variant(Ctx(rule, [None], [None] * len(names), saved, [None] * len(names), names, OUTPUT))
            rule = ctx.rule
            form = rule.forward if isinstance(rule.forward, str) else rule.named
            if form is None or (rule.supports is not None and not rule.supports(ctx)):
                return None
            head, equals, text = fill(form, ctx.mapping()).partition(" = ")
    except Exception:  # (a value the rule reads was not recorded, or cannot be read)
        return None
    if ctx._letters or head != OUTPUT or not equals or "{" in text or len(text) > DERIVED_MAX_CHARS:
        return None
    wrapped = {n for n in names if n and not is_plain(n)}  # (`log_softmax((x @ w))`: its brackets once)
    return bare(bracketed_once(text, wrapped) if wrapped else text)


def bare(text: str) -> str:
    """`text` without the parentheses around it, if one pair holds it whole: `(a · b)` -> `a · b`."""
    return text[1:-1] if enclosed(text) else text


def _squeezed(side: str) -> str:
    """`side` without spaces and brackets, each product sign written `·` (six replaces: a translate table is looked up
    entry by entry in text that is not ASCII, at several times their cost)."""
    side = side.replace(" ", "").replace("(", "").replace(")", "")
    return side.replace("*", "·").replace("⊙", "·").replace("@", "·")


def _powers(side: str) -> str:
    if "**" not in side:  # (nearly every side: four searches saved)
        return side
    return side.replace("** 2", "²").replace("**2", "²").replace("** 3", "³").replace("**3", "³")


def said_once(words: str) -> str:
    """Words that open with `Title: y = formula. ` opening with `Title: formula. ` when y's name is that formula as
    the code wrote it (a result the snippet never named is called by its code: `(y_pred - y_true) = y_pred -
    y_true`, `(x ** 2) = x²` said it twice, `Square.apply(x) = Square.apply(…)` too)."""
    title, colon, rest = words.partition(": ")
    forward, stop, after = rest.partition(". ")
    if not (colon and stop):
        return words
    left, equals, right = forward.partition(" = ")
    # (a call whose inputs the rule leaves out, `Square.apply(…)`: y's name is that call with them, said in its place)
    call = right.removesuffix("…)")
    if equals and call != right and left.startswith(call) and left.endswith(")") and " = " not in right:
        return f"{title}: {left}. {after}"
    # (brackets aside: y's name is the code of this very op, so the two differ at most in how they group it, and in the
    # arguments its name leaves out: `(x.abs() + x.clamp(…)) = x.abs() + x.clamp(-0.5, 1.0)`)
    if not equals or " = " in right or not _same_code(_squeezed(_powers(left)), _squeezed(_powers(right))):
        return words
    return f"{title}: {right}. {after}"


def _same_code(name: str, code: str) -> bool:
    """Whether `name` is `code`, or `code` with arguments left out (`…`), both squeezed (`_squeezed`)."""
    if "…" not in name:
        return name == code
    pieces = name.split("…")
    if not (code.startswith(pieces[0]) and code.endswith(pieces[-1])) or len(pieces[0]) + len(pieces[-1]) > len(code):
        return False
    at, end = len(pieces[0]), len(code) - len(pieces[-1])
    for piece in pieces[1:-1]:  # (in order, each after the one before)
        found = code.find(piece, at, end)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def enclosed(text: str) -> bool:
    """Whether `text` is one parenthesised whole: `(a · b)`, not `(a) · (b)`."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth, last = 0, len(text) - 1
    for found in _BRACKET.finditer(text):  # (its brackets only: the depth changes nowhere else)
        depth += 1 if found[0] == "(" else -1
        if depth == 0 and found.start() < last:
            return False
    return True


def _leaves(expr: Expr) -> Iterator[Expr]:
    """The named values and numbers a formula is made of."""
    parts = expr.parts()
    if not parts:
        yield expr
    for part in parts:
        yield from _leaves(part)


def _other_outputs(outputs: list[int]) -> tuple[str, str]:
    """Why a node's formulas are not checked: it received gradients on outputs they leave out."""
    which = ", ".join(str(k) for k in outputs)
    return (
        f"the node also received gradients for its output {which} (as a double backward sends to a normalization's "
        "mean and rstd), which these formulas leave out",
        f"이 노드는 출력 {which}번으로도 그래디언트를 받았는데(이중 역전파가 정규화의 평균과 rstd로 보내는 값처럼), "
        "위 식에는 그 몫이 빠져 있습니다",
    )


def _not_checked(reason: tuple[str, str]) -> tuple[str, str]:
    en, ko = reason
    return f"Not checked: {en}.", f"검사하지 못했습니다: {ko}."


def numbers_of(expr: Expr, value: Tensor, max_elements: int) -> str:
    """`1 · 2 · 2 = 4`: the formula with the run's values, and its value."""
    result = show_tensor(value, max_elements)
    if isinstance(expr, Sym):
        return result
    if isinstance(expr, Form) and expr.copies:  # `[[1], [2]] → [[1, 1], [2, 2]]`: copied, not equal
        inner = expr.args[0]
        text = f"{numbers_of(inner, inner.value(), max_elements)} → {result}"
        return text if len(text) <= NUMBERS_MAX_CHARS else f"{expr.numbers(0)} → {show_tensor(value, 0)}"
    written = expr.numbers(max_elements)
    if written == result and not (isinstance(expr, Form) and expr.en == "{0}ᵀ"):  # (a value written as itself)
        return result
    if isinstance(expr, Form) and expr.en == "{0}ᵀ" and written == result:  # (a whole formula `gradᵀ`: not `A = A`)
        written = f"{expr.args[0].numbers(max_elements)}ᵀ"
    text = f"{written} = {result}"
    if numel(value) > 1 and all(numel(leaf.value()) <= 1 for leaf in _leaves(expr)) and _constant(value):
        one = show_tensor(value.reshape(-1)[0], 1)  # (one number, copied to each entry; `2 → [2, 2]` if written so)
        text = f"{written} → {result}" if written == one else f"{written} = {one} → {result}"
    if len(text) > NUMBERS_MAX_CHARS:
        text = f"{expr.numbers(0)} = {show_tensor(value, 0)}"
    return text


def _constant(value: Tensor) -> bool:
    """Whether every entry of `value` is its first (`1 / 2 = 0.5 → [[0.5], [0.5]]`: one number copied; a gather's
    `[2] → [0, 2]` is not)."""
    first = value.reshape(-1)[0]
    return bool(((value == first) | (torch.isnan(value) & torch.isnan(first))).all())


def _unchecked(
    rule: Rule, ctx: Ctx, to: Sequence[str | None], reason: tuple[str, str], unsent: Sequence[str] = ()
) -> dict:
    """The explanation of a node whose values could not all be read: what it computes, no numbers, no checks. Its
    formulas as a brief explanation writes them (a value that cannot be read stands in as any value of its shape:
    `N`, a broadcast's sum); where even that needs a value, the words alone, what is not known written `…`."""
    with contextlib.suppress(Exception):
        return _explain(rule, _stood_in_ctx(ctx), to, 0, brief=reason, why=_not_checked(reason), unsent=unsent)
    try:
        values = ctx.mapping()
    except Exception:  # (params read from values that could not be read)
        values = {"y": ctx.output_label()}
        with contextlib.suppress(Exception):
            values.update({slot.letter: ctx.label(i, slot.letter) for i, slot in enumerate(ctx.slots())})
    values = collections.defaultdict(lambda: "…", values)
    head = words_of(rule.title, values)
    words = words_of((rule.words[0], rule.words[1]), values)
    en, ko = _not_checked(reason)
    forward = words_of(rule.forward, values)
    return {
        "rule": rule.node,
        "words": {
            "en": f"{_capitalized(head['en'])}: {forward['en']}. {words['en']} {en}",
            "ko": f"{head['ko']}: {forward['ko']}. {words['ko']} {ko}",
        },
        "formula": _local(rule, ctx, values),
        "inputs": [
            {
                "slot": i,
                "to": to[i] if i < len(to) else None,
                "formula": {"en": "?", "ko": "?"},
                "numbers": None,
                "check": None,
            }
            for i in range(ctx.slot_count())
        ],
    }


def _broken(rule: Rule, ctx: Ctx, to: Sequence[str | None], error: Exception) -> dict:
    """The explanation of a rule that failed on this run: every slot's check fails, the words say why."""
    return broken(rule.node, ctx.grad_inputs, to, error)


def broken(node_name: str, grad_inputs: Sequence[Any], to: Sequence[str | None], error: Exception) -> dict:
    """The explanation of a node whose rule (or gradwalk's reading of its values) failed on this run: every slot
    that got a gradient fails its check, the words say why."""
    reason = f"{type(error).__name__}: {error}"[:300]
    return {
        "rule": node_name,
        "words": {
            "en": f"This rule could not be evaluated on this run ({reason}): a bug in gradwalk's rule, "
            "shown as a failed check.",
            "ko": f"이 규칙을 이번 실행의 값으로 계산하지 못했습니다({reason}). gradwalk 규칙의 버그이므로 "
            "검사 실패로 표시합니다.",
        },
        "formula": {"en": "?", "ko": "?"},
        "inputs": [
            {
                "slot": i,
                "to": to[i] if i < len(to) else None,
                "formula": {"en": "?", "ko": "?"},
                "numbers": None,
                "check": failed() if grad_inputs[i] is not None else None,
            }
            for i in range(len(grad_inputs))
        ],
    }
