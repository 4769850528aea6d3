"""Plain-language explanations, in English and Korean, for the errors learners meet most: each fits the error it
answers and names the snippet's own tensor (read from the failing line: `loss.backward()` names `loss`)."""

import ast
import difflib
import importlib.util
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from ..explain.node import fill_korean_format

# The tensor a line hands to backward: `loss.backward(`, `y.sum().backward(`, `torch.autograd.backward(loss`,
# `autograd.grad(out, ...`.
_BACKWARD_OF = (
    re.compile(r"([A-Za-z_][\w.]*(?:\[[^\]\n]*\])?)\s*(?:\.\s*[a-z]\w*\s*\(\s*\)\s*)?\.\s*backward\s*\("),
    # (the tensor itself, not a method called on it: `autograd.grad(g.sum(), x)` names g)
    re.compile(
        r"autograd\s*\.\s*(?:backward|grad)\s*\(\s*(?:outputs\s*=\s*)?([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*?)"
        r"(?=\s*[,)\[]|\s*\.\s*[A-Za-z_]\w*\s*\()"
    ),
)
_GRAD_CALL = re.compile(r"autograd\s*\.\s*grad\s*\(")  # a line that calls torch.autograd.grad
# The tensor whose .grad a line reads: `h.grad * 2`, `x.grad.zero_()` (not `.grad_fn`).
_GRAD_OF = (re.compile(r"([A-Za-z_][\w.]*(?:\[[^\]\n]*\])?)\s*\.\s*grad\b(?!\s*\()"),)
# The tensor a line changes in place: `w += 1`, `w.add_(1)`, `w[0] = 1`, `w.data.zero_()` is no change of w's graph.
_CHANGED = (
    re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(?:\[[^\]\n]*\])?\s*(?:[-+*/@%]|//|\*\*)=(?!=)"),
    re.compile(r"([A-Za-z_][\w.]*)\s*\.\s*[a-z][a-z0-9]*_\s*\("),
    re.compile(r"^\s*([A-Za-z_][\w.]*)\s*\[[^\]\n]*\]\s*=(?!=)"),
)


@dataclass(frozen=True)
class Seen:
    """What the forward graph says of the tensor the failing line names: its node (None when not found), and what
    stopped tracking on its way (`cut`: no_grad, detach, .data; `non_differentiable`: argmax, a comparison)."""

    node: dict[str, Any] | None = None
    stopped: str | None = None
    reached: bool = False  # (a leaf: a backward pass ran its AccumulateGrad)
    cuts: tuple[tuple[str, str], ...] = ()  # what cut it off, as the snippet wrote it (`.detach()`), in en and ko
    tracked: bool = False  # whether any tensor of the run requires grad
    calls: tuple[str, ...] = ()  # what started each backward pass: "backward" or "grad"
    was_leaf: bool = False  # the name was bound to a leaf that requires grad before (`w = w - lr * w.grad`)
    cut_lines: tuple[int, ...] = ()  # the lines of the ops that cut it off
    # the lines of the tensors it was made from that were made from no other (a gradient autograd.grad returned)
    origin_lines: tuple[int, ...] = ()
    given: tuple[bool, ...] = ()  # for each backward pass: whether its call named its inputs (`inputs=`, grad())
    # a tensor it was made from that the code set requires_grad on only later: (its name, the line that set it, the
    # first line that had used it on the way)
    late: tuple[str, int, int] | None = None


# How the snippet cut a tensor off its graph, in English and Korean, by the op that did it (`no_grad`: any op run
# under torch.no_grad()); every op of CUT_OPS has its words (a `.item()` or an `nn.Parameter(h)` was said to be
# torch.no_grad()).
_CUT_BY = {
    "detach": (".detach()", ".detach()"),
    "detach_": (".detach_()", ".detach_()"),
    "data": (".data", ".data"),
    "requires_grad_": ("requires_grad=False (a frozen parameter)", "requires_grad=False(고정한 파라미터)"),
    "tensor": (
        "torch.tensor(...), which copies the values and leaves their graph behind (torch.stack keeps it)",
        "torch.tensor(...): 값만 복사하고 그래프는 남기지 않습니다(torch.stack은 그래프를 유지합니다)",
    ),
    "new_tensor": (
        ".new_tensor(...), which copies the values and leaves their graph behind",
        ".new_tensor(...): 값만 복사하고 그래프는 남기지 않습니다",
    ),
    "Parameter": (
        "nn.Parameter(...), which makes a new leaf of the values and leaves their graph behind",
        "nn.Parameter(...): 같은 값으로 새 리프 텐서를 만들고 그래프는 남기지 않습니다",
    ),
    "item": (
        ".item(), which takes the value out of the graph as a Python number",
        ".item(): 값을 파이썬 수로 그래프 밖으로 꺼냅니다",
    ),
    "tolist": (
        ".tolist(), which takes the values out of the graph as a Python list",
        ".tolist(): 값을 파이썬 리스트로 그래프 밖으로 꺼냅니다",
    ),
    "numpy": (
        ".numpy(), which takes the values out of the graph as a NumPy array",
        ".numpy(): 값을 NumPy 배열로 그래프 밖으로 꺼냅니다",
    ),
    "no_grad": ("torch.no_grad() (or torch.inference_mode())", "torch.no_grad()(또는 torch.inference_mode())"),
}


def _cut_by(op: dict[str, Any]) -> tuple[str, str]:
    """The words for the op that cut a tensor off, named by the library call of the snippet's line that ran it, when
    one did (`sd = lin.state_dict()` detaches what it returns: "cut off by .detach()" was said of code that wrote
    none)."""
    en, ko = _CUT_BY.get(op.get("op", ""), _CUT_BY["no_grad"])
    inside = op.get("inside")
    if not inside or op.get("op") not in _CUT_BY:  # (under no_grad: the code's own block may be why)
        return en, ko
    return f"{inside}() → {en}", f"{inside}() → {ko}"


def seen_in(run: dict[str, Any] | None, name: str | None) -> Seen:
    """What a Run's graphs say of the tensor called `name`: its last node, and the ops it was made through (without
    such a node, the whole graph's)."""
    graph = (run or {}).get("forward")
    if not graph:
        return Seen()
    nodes = {node["id"]: node for node in graph.get("nodes", ())}
    node = None
    if name is not None:
        node = next(
            (n for n in reversed(graph.get("nodes", ())) if n.get("var") == name or name in (n.get("aliases") or ())),
            None,
        )
    origins: list[int] = []
    if node is None:
        ops = [n for n in nodes.values() if n.get("kind") == "op"]
    else:
        sources: dict[str, list[str]] = {}
        for edge in graph.get("edges", ()):
            sources.setdefault(edge["target"], []).append(edge["source"])
        ops, seen, stack = [], {node["id"]}, [node["id"]]
        while stack:
            at = stack.pop()
            if at not in sources and isinstance(nodes.get(at, {}).get("line"), int):
                origins.append(nodes[at]["line"])
            for source in sources.get(at, ()):
                if source not in seen:
                    seen.add(source)
                    stack.append(source)
                    if nodes.get(source, {}).get("kind") == "op":
                        ops.append(nodes[source])
    cut = [op for op in ops if op.get("cut")]
    stopped = "cut" if cut else None
    if stopped is None and any(op.get("non_differentiable") for op in ops):
        stopped = "non_differentiable"
    cuts = dict.fromkeys(_cut_by(op) for op in cut)
    accumulator = node.get("grad_accumulator") if node is not None else None
    ran = {n["id"] for n in (run or {}).get("backward", {}).get("nodes", ()) if n.get("order") is not None}
    tracked = any(n.get("requires_grad") for n in nodes.values() if n.get("kind") == "tensor")
    calls = tuple((run or {}).get("backward_calls") or ())
    was_leaf = node is not None and any(
        n.get("var") == name and n.get("is_leaf") and n.get("requires_grad") for n in nodes.values()
    )
    cut_lines = tuple(op["line"] for op in cut if isinstance(op.get("line"), int))
    given = tuple((run or {}).get("backward_inputs_given") or ())
    return Seen(
        node,
        stopped,
        accumulator in ran,
        tuple(cuts),
        tracked,
        calls,
        was_leaf,
        cut_lines,
        tuple(sorted(origins)),
        given,
        _late(graph, nodes, ops) if node is not None and tracked else None,
    )


def _late(
    graph: dict[str, Any], nodes: dict[str, dict[str, Any]], ops: list[dict[str, Any]]
) -> tuple[str, int, int] | None:
    """A named tensor the ops `ops` (the way a tensor was made) used before the code called requires_grad_() on it
    (`loss = (x * 3).sum()`, then `x.requires_grad_()`): its name, the line that set it, the first line that used it."""
    used = {op["id"]: op for op in ops if isinstance(op.get("line"), int)}
    first: dict[str, int] = {}  # an input of those ops -> the first line one of them used it on
    setting: dict[str, int] = {}  # a tensor -> the line of a requires_grad_() on it that made it require grad
    outputs = {edge["source"]: edge["target"] for edge in graph.get("edges", ()) if edge["source"] in nodes}
    for edge in graph.get("edges", ()):
        op, source = nodes.get(edge["target"], {}), edge["source"]
        if op.get("id") in used:
            first[source] = min(first.get(source, op["line"]), op["line"])
        elif op.get("op") == "requires_grad_" and isinstance(op.get("line"), int):
            made = nodes.get(outputs.get(op["id"], ""), {})
            if made.get("requires_grad"):
                setting.setdefault(source, op["line"])
    for tensor, line in first.items():
        name = nodes.get(tensor, {}).get("var")
        if name and tensor in setting and setting[tensor] > line:
            return name, setting[tensor], line
    return None


def _names(line_text: str, patterns: tuple[re.Pattern[str], ...]) -> list[str]:
    """The tensors the failing line names, in the order written (`print(a.grad, b.grad)`: a, then b)."""
    names: list[str] = []
    for pattern in patterns:
        names += [found.group(1) for found in pattern.finditer(line_text) if found.group(1) not in names]
    return names


def _called(name: str | None, en: str, ko: str) -> tuple[str, str]:
    """What a hint calls the tensor, in English and Korean: the snippet's name for it (`loss`, `loss 텐서`), else `en`
    and `ko`."""
    return (name, f"{name} 텐서") if name else (en, ko)


_CREATE_GRAPH = re.compile(r"create_graph\s*=\s*True")


def _from_gradient(error: dict[str, Any], seen: "Seen", y: str, y_ko: str) -> tuple[str, str] | None:
    """A tensor made from a gradient (what torch.autograd.grad returned, or a .grad) computed without create_graph=True:
    a gradient penalty or a second derivative whose first gradient left the graph."""
    lines = error.get("lines") or ()
    for line in seen.origin_lines:
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        if _GRAD_CALL.search(text) and not _CREATE_GRAPH.search(text):
            return (
                f"{y} is not part of any graph: it was computed from the gradient torch.autograd.grad() returned on "
                f"line {line}, and a gradient is itself part of a graph only when the call that computed it had "
                "create_graph=True. Pass create_graph=True there, as a gradient penalty or a second derivative needs.",
                f"{y_ko}는 어떤 그래프에도 속하지 않습니다. {line}번 줄에서 torch.autograd.grad()가 돌려준 "
                "그래디언트로 계산했는데, 그래디언트는 그것을 계산한 호출에 create_graph=True를 넘겼을 때만 그래프에 "
                "속합니다. 그래디언트 페널티나 2계 도함수처럼 그래디언트를 다시 미분하려면 그 호출에 "
                "create_graph=True를 넘기세요.",
            )
        if _GRAD_CALL.search(text):
            return (
                f"{y} is not part of any graph: it was computed from the gradient torch.autograd.grad() returned on "
                f"line {line} with create_graph=True, and that gradient requires no grad all the same: it does not "
                "depend on anything that requires grad (the gradient of a linear function is a constant), or a node "
                "backward went through cannot be differentiated again (a custom Function marked @once_differentiable, "
                "or one whose backward detaches).",
                f"{y_ko}는 어떤 그래프에도 속하지 않습니다. {line}번 줄에서 create_graph=True로 "
                "torch.autograd.grad()가 돌려준 그래디언트로 계산했는데도, 그 그래디언트는 requires_grad=False입니다. "
                "requires_grad=True인 "
                "어떤 텐서에도 기대지 않거나(선형 함수의 그래디언트는 상수입니다), 역전파가 지나간 노드 중 다시 미분할 "
                "수 없는 것이 있기 때문입니다(@once_differentiable을 붙인 사용자 정의 Function, 또는 backward에서 "
                "detach하는 Function).",
            )
        if _GRAD_OF[0].search(text) and "backward" in seen.calls:
            return (
                f"{y} is not part of any graph: it was computed from a .grad read on line {line}, and backward() "
                "leaves in .grad a gradient outside any graph unless it was called with create_graph=True. To "
                "differentiate a gradient (a gradient penalty, a second derivative), take it with "
                "torch.autograd.grad(loss, w, create_graph=True).",
                f"{y_ko}는 어떤 그래프에도 속하지 않습니다. {line}번 줄에서 읽은 .grad로 계산했는데, backward()는 "
                "create_graph=True로 부르지 않으면 그래프 밖의 그래디언트를 .grad에 남깁니다. 그래디언트를 다시 "
                "미분하려면(그래디언트 페널티, 2계 도함수) torch.autograd.grad(loss, w, create_graph=True)로 구하세요.",
            )
    return None


# What to change for the messages Python gives most often when it cannot read a learner's code, in plain words: a
# regular expression on the message, then the advice in English and Korean (`{open}`/`{close}`: a bracket pair, and
# `{name}` its Korean name, from the message's bracket).
_SYNTAX_ADVICE: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"^expected ':'$"),
        "A colon (:) is missing at the marked spot: a line that opens a block (if, for, while, def, class, with, "
        "else, try) ends with one.",
        "표시된 곳에 콜론(:)이 빠졌습니다. 블록을 여는 줄(if, for, while, def, class, with, else, try)은 콜론으로 "
        "끝나야 합니다.",
    ),
    (
        re.compile(r"^'[(\[{]' was never closed$"),
        "The {open} opened at the marked spot is never closed: add its {close} where what it holds ends.",
        "표시된 곳에서 연 {name} {open}를 닫지 않았습니다. 안에 든 것이 끝나는 곳에 {close}를 넣으세요.",
    ),
    (
        re.compile(r"^unmatched '[)\]}]'$"),
        "This {close} closes nothing: remove it, or add the {open} it belongs to before it.",
        "이 {close}와 짝이 되는 여는 {name} {open}가 없습니다. 지우거나, 앞에 짝이 되는 {open}를 넣으세요.",
    ),
    (
        re.compile(r"^unterminated (triple-quoted )?string literal"),
        "A string starts at the marked spot and never ends: close it with the quote it opened with (' or \").",
        "표시된 곳에서 시작한 문자열이 끝나지 않았습니다. 연 것과 같은 따옴표(' 또는 \")로 닫으세요.",
    ),
    (
        re.compile(r"Perhaps you forgot a comma\?$"),
        "Two values stand side by side at the marked spot with nothing between them: put a comma between them "
        "([1, 2], not [1 2]).",
        "표시된 곳에서 값 두 개가 사이에 아무것도 없이 나란히 있습니다. 그 사이에 쉼표를 넣으세요"
        "([1 2]가 아니라 [1, 2]).",
    ),
    (
        re.compile(r"^expected an indented block"),
        "The line before it ends with a colon, so the lines of its block must be indented under it (4 spaces).",
        "앞 줄이 콜론으로 끝나므로, 그 블록에 속하는 줄은 그 아래에 들여 써야 합니다(공백 4칸).",
    ),
    (
        re.compile(r"^(unindent does not match|unexpected indent)"),
        "This line's indentation matches no block around it: indent it as far as the other lines of its block (the "
        "same number of spaces), or not at all.",
        "이 줄의 들여쓰기가 주변의 어느 블록과도 맞지 않습니다. 같은 블록의 다른 줄과 똑같은 칸 수로 들여 쓰거나, "
        "들여쓰기를 지우세요.",
    ),
    (
        re.compile(r"^invalid syntax$"),
        "Look at the marked spot and just before it for something missing or doubled: a value after an operator "
        "(x ** 2, not x **), a sign written twice (= =), a colon, a bracket.",
        "표시된 곳과 그 바로 앞에 빠지거나 겹친 것이 있는지 보세요. "
        "연산자 뒤의 값(x ** 가 아니라 x ** 2), 두 번 쓴 기호(= =), 콜론, 괄호 같은 것입니다.",
    ),
)
_BRACKETS = {"(": (")", "괄호"), "[": ("]", "대괄호"), "{": ("}", "중괄호")}


def _syntax_advice(message: str) -> tuple[str, str] | None:
    """What to change for a message Python gives when it cannot read the code, in both languages (None: not known)."""
    for pattern, en, ko in _SYNTAX_ADVICE:
        if pattern.search(message):
            found = re.search(r"'([()\[\]{}])'", message)
            bracket = found.group(1) if found else "("
            opening = next((o for o, (c, _) in _BRACKETS.items() if bracket in (o, c)), "(")
            closing, name = _BRACKETS[opening]
            pair = {"open": f"'{opening}'", "close": f"'{closing}'", "name": name}
            return en.format(**pair), ko.format(**pair)
    return None


def _syntax(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    line, column = error.get("line"), error.get("column")
    where_en = f"line {line}" + (f", column {column}" if column else "") if line else "the code"
    where_ko = f"{line}번 줄" + (f" {column}열" if column else "") + "에서 " if line else ""
    message = error.get("message") or "invalid syntax"
    if error.get("run") is not None:  # (raised as the code ran: eval, exec, compile of a string, an import)
        upto_ko = f"{line}번 줄" if line else "오류가 난 줄"
        return (
            f"The code ran up to {where_en}, where Python could not read code it was given to run there ({message}): "
            "a string passed to eval, exec or compile, or a module imported there. What ran before it is recorded.",
            f"코드는 {upto_ko}까지 실행되었습니다. 거기서 실행하라고 넘긴 코드"
            "(eval, exec, compile에 넘긴 문자열이나 그 줄에서 가져온 모듈)를 "
            f"파이썬이 읽지 못했습니다({message}). 그 앞에서 실행된 부분은 기록되어 있습니다.",
        )
    advice = _syntax_advice(message)
    fix_en, fix_ko = (
        (f"{advice[0]} Then run it again.", f"{advice[1]} 고친 뒤 다시 실행하세요.")
        if advice
        else (
            "Fix the marked spot and run it again.",
            "표시된 곳을 고친 뒤 다시 실행하세요.",
        )
    )
    return (
        f"The code never ran: Python could not read {where_en} ({message}), so nothing was recorded and there is no "
        f"graph. {fix_en}",
        f"코드가 실행되지 않았습니다. 파이썬이 {where_ko}코드를 읽지 못해서({message}) "
        f"아무것도 기록되지 않았고 그래프도 없습니다. {fix_ko}",
    )


def _not_scalar(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    y, y_ko = _called(name, "the output", "출력 텐서")
    if _GRAD_CALL.search(error.get("line_text") or ""):  # (torch.autograd.grad's: its gradient is grad_outputs)
        out = name or "out"
        return (
            f"torch.autograd.grad with no grad_outputs works only on a scalar output (a single value, such as a "
            f"loss), and {y} holds several values. Pass the gradient to start from, shaped like {y}, as grad_outputs "
            f"(grad_outputs=torch.ones_like({out})), or reduce it first: torch.autograd.grad({out}.sum(), ...).",
            f"grad_outputs 없이 부른 torch.autograd.grad는 손실처럼 값이 하나뿐인 스칼라 출력에서만 쓸 수 있는데, "
            f"{y_ko}에는 값이 여러 개 있습니다. {y_ko}와 같은 모양의 그래디언트를 grad_outputs로 넘기거나"
            f"(grad_outputs=torch.ones_like({out})), 먼저 값 하나로 줄이세요(torch.autograd.grad({out}.sum(), ...)).",
        )
    if name is None:
        return (
            "backward() with no argument works only on a scalar (a single value, such as a loss), and this output "
            "holds several values. Pass the gradient to start from, shaped like the output: "
            "out.backward(torch.ones_like(out)), as the tutorial's vector example does, or reduce it first: "
            "out.sum().backward().",
            "인자 없는 backward()는 손실처럼 값이 하나뿐인 스칼라에서만 쓸 수 있는데, 이 출력 텐서에는 값이 여러 개 "
            "있습니다. 튜토리얼의 벡터 예제처럼 출력과 같은 모양의 그래디언트를 넘기거나"
            "(out.backward(torch.ones_like(out))), 먼저 값 하나로 줄이세요(out.sum().backward()).",
        )
    return (
        f"backward() with no argument works only on a scalar (a single value, such as a loss), and {y} holds "
        f"several values. Pass the gradient to start from, shaped like {y}: {y}.backward(torch.ones_like({y})), as the "
        f"tutorial's vector example does, or reduce it first: {y}.sum().backward().",
        f"인자 없는 backward()는 손실처럼 값이 하나뿐인 스칼라에서만 쓸 수 있는데, {y_ko}에는 값이 여러 개 있습니다. "
        f"튜토리얼의 벡터 예제처럼 {y_ko}와 같은 모양의 그래디언트를 넘기거나({y}.backward(torch.ones_like({y}))), "
        f"먼저 값 하나로 줄이세요({y}.sum().backward()).",
    )


def _no_graph(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    y, y_ko = _called(name, "This tensor", "이 텐서")
    if seen.stopped == "non_differentiable":
        return (
            f"{y} is not part of any graph: it was made through an operation that has no gradient (argmax, a "
            "comparison such as ==, rounding, or a result of integers), so tracking stopped there, although the "
            "tensors before it require grad. Compute the loss from the values themselves (the scores or "
            "probabilities, as cross_entropy does), not from what such an operation made of them.",
            f"{y_ko}는 어떤 그래프에도 속하지 않습니다. "
            "그래디언트가 없는 연산(argmax, == 같은 비교, 반올림, 정수 결과)을 "
            "거쳐 만들어져서, 앞의 텐서들은 requires_grad=True인데도 추적이 거기서 멈췄습니다. 손실은 그런 연산의 "
            "결과가 아니라 값 자체(cross_entropy처럼 점수나 확률)로 계산하세요.",
        )
    lines = error.get("lines") or ()
    if seen.stopped == "cut" and any(
        0 < line <= len(lines) and "checkpoint(" in lines[line - 1] for line in seen.cut_lines
    ):
        return (
            f"{y} is not part of any graph: torch.utils.checkpoint with use_reentrant=True runs its function under "
            "no_grad, and records its graph only when one of the tensors given to it requires grad (here none "
            "does: a model's input usually does not). Pass use_reentrant=False (PyTorch's advice), which records "
            "the parameters' gradients whatever the inputs.",
            f"{y_ko}는 어떤 그래프에도 속하지 않습니다. use_reentrant=True인 torch.utils.checkpoint는 함수를 no_grad "
            "상태로 실행하고, 넘겨받은 텐서 중 하나라도 requires_grad=True일 때만 그래프를 기록합니다(여기서는 "
            "그런 텐서가 없습니다. 모델의 입력은 보통 그렇지 않습니다). PyTorch가 권하는 대로 use_reentrant=False를 "
            "넘기면 입력과 상관없이 파라미터의 그래디언트가 기록됩니다.",
        )
    if seen.stopped == "cut":
        by = "; ".join(en for en, _ in seen.cuts) or "torch.no_grad(), .detach() or .data"
        by_ko = "; ".join(ko for _, ko in seen.cuts) or "torch.no_grad(), .detach(), .data"
        return (
            f"{y} is not part of any graph: it was made from tensors cut off from it by {by}. Look for the dashed "
            "cut in the forward graph, and compute it from tensors that require grad with no such cut in between.",
            f"{y_ko}는 어떤 그래프에도 속하지 않습니다. 그래프에서 끊긴 텐서로 만들어졌기 때문입니다"
            f"(끊은 곳: {by_ko}). 순전파 그래프에서 점선으로 끊긴 곳을 찾고, "
            "그런 끊김 없이 requires_grad=True인 텐서에서부터 계산하세요.",
        )
    if "grad" in seen.calls and _GRAD_CALL.search(error.get("line_text", "")):
        return (
            f"{y} is not part of any graph: a gradient that torch.autograd.grad() returns is itself part of a graph "
            "only when that call had create_graph=True. Pass create_graph=True to the first torch.autograd.grad() to "
            "take the gradient of a gradient.",
            f"{y_ko}는 어떤 그래프에도 속하지 않습니다. torch.autograd.grad()가 돌려준 그래디언트는 그 호출에 "
            "create_graph=True를 넘겼을 때만 그래프에 속합니다. 그래디언트의 그래디언트를 구하려면 첫 번째 "
            "torch.autograd.grad()에 create_graph=True를 넘기세요.",
        )
    from_gradient = _from_gradient(error, seen, y, y_ko)
    if from_gradient is not None:
        return from_gradient
    if seen.late is not None:
        x, set_on, used_on = seen.late
        return (
            f"{y} is not part of any graph: line {set_on} set {x}.requires_grad only after line {used_on} had used "
            f"{x}, and an operation records a graph only for inputs that require grad as it runs, so line {used_on} "
            f"computed with {x} as a constant. Set it before the operations that use it: make {x} with "
            f"requires_grad=True, or call {x}.requires_grad_() right after making it.",
            f"{y_ko}는 어떤 그래프에도 속하지 않습니다. {used_on}번 줄에서 {x} 텐서를 이미 쓴 뒤 {set_on}번 줄에서야 "
            f"{x} 텐서에 requires_grad를 설정했는데, 연산은 실행되는 그 순간 requires_grad=True인 입력에 대해서만 "
            f"그래프를 기록합니다. 그래서 {used_on}번 줄은 {x} 텐서를 상수로 계산했습니다. {x} 텐서를 쓰는 연산보다 "
            f"먼저 설정하세요. 만들 때 requires_grad=True를 넘기거나, 만든 직후에 {x}.requires_grad_()를 호출하면 "
            "됩니다.",
        )
    if seen.tracked:
        return (
            f"{y} is not part of any graph: none of the tensors it was made from requires grad, although other "
            "tensors of the code do. Its values reached it outside the graph: through .item(), .tolist(), .numpy() "
            "or torch.tensor(), which copy values and leave the graph behind, or from a tensor given "
            "requires_grad=True only after it was used (set it before the operations that use it). Compute it from "
            "the tensors themselves (torch.stack(losses), not torch.tensor(losses)).",
            f"{y_ko}는 어떤 그래프에도 속하지 않습니다. 코드의 다른 텐서는 requires_grad=True인데, 이 텐서를 만든 "
            "텐서 중에는 그런 것이 없습니다. 값이 그래프 밖으로 건너왔기 때문입니다. .item(), .tolist(), .numpy(), "
            "torch.tensor()는 값만 복사하고 그래프는 남기지 않습니다. 또는 텐서를 쓴 뒤에야 requires_grad=True로 "
            "바꾼 경우입니다(그 텐서를 쓰는 연산보다 먼저 바꾸세요). 텐서 자체로 계산하세요"
            "(torch.tensor(losses)가 아니라 torch.stack(losses)).",
        )
    return (
        f"{y} is not part of any graph: none of the tensors it was made from has requires_grad=True, so autograd "
        "recorded nothing. Create the tensors you want gradients for with requires_grad=True, for example "
        "w = torch.tensor(2.0, requires_grad=True).",
        f"{y_ko}는 어떤 그래프에도 속하지 않습니다. "
        "이 텐서를 만든 텐서 중 requires_grad=True인 것이 없어서 자동 미분이 아무것도 기록하지 않았습니다. "
        "그래디언트가 필요한 텐서를 requires_grad=True로 만드세요"
        "(예: w = torch.tensor(2.0, requires_grad=True)).",
    )


_BACKWARD_CALL = re.compile(r"autograd\.grad\s*\(|\.backward\s*\(")


def _second_backward(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    y = f"{name}.backward()" if name else "backward()"
    lines, line = error.get("lines") or (), error.get("line")
    if "autograd.grad" in error.get("line_text", "") and isinstance(line, int) and line <= len(lines):
        earlier = next((k for k in range(line - 1, 0, -1) if _BACKWARD_CALL.search(lines[k - 1][:LINE_CHARS])), None)
        if earlier is not None:  # (torch.autograd.grad twice, or after a backward(): as two backward() calls)
            return (
                f"Line {earlier} already went backward through this graph (torch.autograd.grad and backward() both "
                "do), and that frees the tensors it saved as it goes, so this second call has nothing to work with. "
                "To go through the same graph twice, pass retain_graph=True to the first call "
                "(torch.autograd.grad(y, x, retain_graph=True); create_graph=True keeps it too, for a gradient of the "
                "gradient); or compute the output again with a new forward pass before the second call.",
                f"{earlier}번 줄에서 이미 이 그래프로 역전파를 했고(torch.autograd.grad도 backward()처럼 역전파를 "
                "합니다), 역전파는 진행하면서 저장해 둔 텐서를 해제합니다. 그래서 두 번째 호출에는 쓸 값이 없습니다. "
                "같은 그래프를 두 번 지나가려면 첫 호출에 retain_graph=True를 넘기세요(torch.autograd.grad(y, x, "
                "retain_graph=True). 그래디언트의 그래디언트를 구하려면 create_graph=True로도 그래프가 남습니다). "
                "아니면 두 번째 호출 전에 순전파를 다시 해서 출력을 새로 계산하세요.",
            )
    called = re.compile(rf"(?<![\w.]){re.escape(name)}\s*\.\s*backward\s*\(") if name else None
    earlier = (
        next(
            (k for k in range(line - 1, 0, -1) if called.search(lines[k - 1][:LINE_CHARS])),
            None,
        )
        if called is not None and isinstance(line, int) and line <= len(lines)
        else None
    )
    if earlier is not None:  # (two calls written one after the other: no loop to speak of)
        return (
            f"Line {earlier} already ran {y} through this graph, and backward frees the tensors it saved as it goes, "
            f"so this second {y} has nothing to work with. To run backward through the same graph twice (to "
            f"compare, or to add the gradients up), pass retain_graph=True to the first call: {name}.backward("
            "retain_graph=True); or compute the loss again with a new forward pass before the second call.",
            f"{earlier}번 줄에서 이미 같은 그래프로 {y}를 실행했고, 역전파는 진행하면서 저장해 둔 텐서를 해제합니다. "
            f"그래서 두 번째 {y}에는 쓸 값이 없습니다. 같은 그래프로 역전파를 두 번 하려면(비교하거나 그래디언트를 "
            f"누적하려면) 첫 호출에 retain_graph=True를 넘기세요: {name}.backward(retain_graph=True). 아니면 두 번째 "
            "호출 전에 순전파를 다시 해서 손실을 새로 계산하세요.",
        )
    gradient, shared = _earlier_grad_in_block(lines, line), _earlier_backward_in_block(lines, line)
    if gradient is not None and (
        shared is None or shared[0] < gradient
    ):  # (a gradient penalty's grad(), then backward())
        return (
            f"Line {gradient} went backward through the part of the graph this {y} goes through (torch.autograd.grad "
            "does, as backward() does), and that frees the tensors it saved as it goes, so nothing is left here for "
            "that part. A gradient penalty (WGAN-GP, R1) differentiates that gradient again: pass create_graph=True "
            f"to torch.autograd.grad on line {gradient}, which keeps the graph too; to go through the graph once more "
            "without that, retain_graph=True.",
            f"{gradient}번 줄에서 이 {y}가 지나갈 그래프 부분을 이미 역전파했고(torch.autograd.grad도 backward()처럼 "
            "역전파를 합니다), 역전파는 진행하면서 저장해 둔 텐서를 해제합니다. 그래서 여기서는 그 부분에 쓸 값이 "
            "없습니다. 그래디언트 페널티(WGAN-GP, R1)는 그 그래디언트를 다시 미분합니다. "
            f"{gradient}번 줄의 torch.autograd.grad에 create_graph=True를 넘기세요. 그러면 그래프도 남습니다. 그래프를 "
            "한 번 더 지나가기만 하려면 retain_graph=True를 넘기세요.",
        )
    if shared is not None:  # (two losses from the same tensors, one backward each: a multi-task step, a GAN's)
        k, first = shared
        return (
            f"Line {k} ran {first} through the part of the graph this {y} shares with it (both outputs were computed "
            "from the same tensors), and backward frees the tensors it saved as it goes, so nothing is left here for "
            f"that part. Add the losses up and call backward once ((loss_a + loss_b).backward()), or pass "
            "retain_graph=True to the first call. If one of the two losses should not reach that part at all, give "
            "that loss a .detach()ed tensor there: in a GAN, the discriminator's loss on the generator's output, "
            "D(fake.detach()), whichever step comes first.",
            f"{k}번 줄의 {first}가 이 {y}와 함께 쓰는 그래프 부분(두 출력이 같은 텐서로부터 계산되었습니다)을 이미 "
            "역전파했고, 역전파는 진행하면서 저장해 둔 텐서를 해제합니다. 그래서 여기서는 그 부분에 쓸 값이 "
            "없습니다. 손실을 더해서 backward를 한 번만 부르거나((loss_a + loss_b).backward()), 첫 호출에 "
            "retain_graph=True를 넘기세요. 두 손실 중 하나가 그 부분까지 갈 필요가 없다면 그 손실 쪽에 .detach()한 "
            "텐서를 넘기세요. GAN이라면 판별자의 손실이 그렇습니다. 생성자의 출력을 떼어 내서 판별자에 넘기세요"
            "(D(fake.detach())). 어느 단계를 먼저 하든 마찬가지입니다.",
        )
    carried = _carried_into_loop(error.get("run"), lines, line)
    if carried is not None:  # (PPO's old_logp, made with the graph of the forward pass before the loop)
        what, made, start = carried
        return (
            f"{what}, made on line {made} before the loop on line {start}, still holds the graph of that line's "
            f"forward pass: the first step's backward() freed the tensors that graph saved, and {y} here reaches "
            f"them again through {what}. Detach it where it is made (add .detach() to line {made}'s expression, or "
            "make it under torch.no_grad()) when it is a fixed target, as an old policy's log-probabilities are; or "
            "compute it again in each step.",
            f"{what} 텐서는 반복문({start}번 줄)보다 앞선 {made}번 줄에서 만들어져서 그 줄의 순전파 그래프를 그대로 "
            f"들고 있습니다. 첫 단계의 backward()가 그 그래프에 저장된 텐서를 해제했는데, 여기서 {y}가 {what} "
            f"텐서를 거쳐 그 텐서들에 다시 닿습니다. 고정된 목표값이라면(이전 정책의 로그 확률처럼) 만들 때 떼어 "
            f"내세요({made}번 줄의 식 끝에 .detach()를 붙이거나 torch.no_grad() 안에서 만들기). 아니면 단계마다 "
            "다시 계산하세요.",
        )
    return (
        f"{y} runs through a graph whose saved tensors an earlier backward() already freed. In a loop, this is "
        "usually a tensor carried over from the previous step (an RNN's hidden state h, a running total) that ties "
        "this step's graph to the one already used: detach it at each step (h = h.detach()). Only if you mean to run "
        "backward twice through the same graph, pass retain_graph=True to the first call; or build the graph again "
        "with a new forward pass.",
        f"{y}가 지나가려는 그래프의 저장된 텐서는 앞선 backward()가 이미 해제했습니다. 반복문에서는 대개 이전 "
        "단계에서 넘어온 텐서(RNN의 은닉 상태 h, 누적 합계)가 이번 단계의 그래프를 이미 쓴 그래프에 이어 붙인 "
        "경우입니다. 단계마다 그 텐서를 떼어 내세요(h = h.detach()). 같은 그래프로 역전파를 정말 두 번 하려는 "
        "것이라면 첫 호출에 retain_graph=True를 넘기거나, 순전파를 다시 해서 그래프를 새로 만드세요.",
    )


_LOOP = re.compile(r"^\s*(?:async\s+)?(?:for|while)\b")


def _carried_into_loop(run: dict[str, Any] | None, lines: Sequence[str], line: Any) -> tuple[str, int, int] | None:
    """A named tensor with a graph (not a leaf), made before the loop the failing line is in and used by an op inside
    it: (its name, the line that made it, the loop's line). Its graph is freed by the loop's first backward()."""
    if not run or not isinstance(line, int) or not 0 < line <= len(lines):
        return None
    indent, start = len(lines[line - 1]) - len(lines[line - 1].lstrip()), None
    for k in range(line - 1, 0, -1):
        text = lines[k - 1][:LINE_CHARS]
        if text.strip() and not text.lstrip().startswith("#") and len(text) - len(text.lstrip()) < indent:
            indent = len(text) - len(text.lstrip())
            if _LOOP.match(text):
                start = k
                break
    graph = run.get("forward") or {}
    nodes = {node["id"]: node for node in graph.get("nodes", ())}
    if start is None:
        return None
    for edge in graph.get("edges", ()):
        tensor, op = nodes.get(edge["source"], {}), nodes.get(edge["target"], {})
        made, used = tensor.get("line"), op.get("line")
        if tensor.get("kind") != "tensor" or op.get("kind") != "op" or not tensor.get("var"):
            continue
        if tensor.get("is_leaf") or not tensor.get("grad_fn") or not isinstance(made, int) or made >= start:
            continue
        if isinstance(used, int) and start < used <= line and not op.get("no_grad"):
            return tensor["var"], made, start
    return None


_RETAINED = re.compile(r"retain_graph\s*=\s*True|create_graph\s*=\s*True")
_CALLED_BACKWARD = re.compile(r"\.\s*backward\s*\(")


def _earlier_backward_in_block(lines: Sequence[str], line: Any) -> tuple[int, str] | None:
    """The nearest `.backward(` call above the failing line in its own block (its lines as indented as it, or more),
    that kept no graph: its line and the call as written (`d_loss.backward()`)."""
    if not isinstance(line, int) or not 0 < line <= len(lines):
        return None
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip())
    for k in range(line - 1, 0, -1):
        text = lines[k - 1][:LINE_CHARS]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if len(text) - len(text.lstrip()) < indent:
            return None
        found = _CALLED_BACKWARD.search(text)
        if found is not None and not _RETAINED.search(text):
            receiver = _receiver(text, found.start())
            return k, f"{receiver}.backward()" if receiver else "backward()"
    return None


_GRAD_CALLED = re.compile(r"\bautograd\s*\.\s*grad\s*\(")
GRAD_CALL_LINES = 20  # a torch.autograd.grad(...) call written over more lines is read in its first ones only


def _earlier_grad_in_block(lines: Sequence[str], line: Any) -> int | None:
    """The line of the nearest `torch.autograd.grad(` call above the failing line in its own block, when the call,
    read to its closing bracket, kept no graph (neither retain_graph=True nor create_graph=True)."""
    if not isinstance(line, int) or not 0 < line <= len(lines):
        return None
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip())
    for k in range(line - 1, 0, -1):
        text = lines[k - 1][:LINE_CHARS]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if len(text) - len(text.lstrip()) < indent:
            return None
        found = _GRAD_CALLED.search(text)
        if found is None:
            continue
        call, depth = "", 0
        for more in lines[k - 1 : min(k - 1 + GRAD_CALL_LINES, line - 1)]:
            call += more[:LINE_CHARS] + "\n"
            depth += more.count("(") - more.count(")")
            if depth <= 0:
                break
        return None if _RETAINED.search(call) else k
    return None


def _receiver(text: str, end: int) -> str:
    """The expression written just before `end` in `text` (where `.backward(` is called on it): names, attributes,
    calls and indexes, their brackets balanced and whole (`criterion(out, y)`, `(loss_a + loss_b)`, `losses[0]`)."""
    end = len(text[:end].rstrip())  # (`loss . backward()`)
    k, depth = end, 0
    while k > 0:
        c = text[k - 1]
        if c in ")]":
            depth += 1
        elif c in "([":
            if not depth:
                break
            depth -= 1
        elif not depth and not (c.isalnum() or c in "_."):
            before = text[:k].rstrip()  # (`out.sum ()`: a call's name may stand a space before its brackets)
            if not (c.isspace() and text[k] in "([" and before and (before[-1].isalnum() or before[-1] == "_")):
                break
            k = len(before)
            continue
        k -= 1
    return text[k:end].strip() if not depth else ""


def _leaf_in_place(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    w, w_ko = _called(name, "A leaf tensor that requires grad", "requires_grad=True인 리프 텐서")
    return (
        f"{w} cannot be changed in place while autograd records: update it inside `with torch.no_grad():` (as "
        "optimizers do), or work on a copy.",
        f"{w_ko}는 자동 미분이 기록하는 동안 제자리(in-place)로 바꿀 수 없습니다. 옵티마이저처럼 "
        "`with torch.no_grad():` 안에서 바꾸거나, 복사본으로 작업하세요.",
    )


def _grad_is_none(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str] | None:
    """Why `name.grad` is None, from what the graphs say of `name` (None: `name` is not the one, its .grad was set)."""
    if name is None:  # (a None that is no .grad: nothing to say about it)
        return None
    node = seen.node
    start_en, start_ko = (
        f"{name}.grad is None here, and None cannot be used like a tensor.",
        f"{name}.grad가 None이라서 텐서처럼 쓸 수 없습니다.",
    )
    if node is not None and node.get("requires_grad") and node.get("is_leaf") and node.get("grad") is not None:
        return None  # (its .grad held a gradient when the code ended: another `.grad` on the line is the None)
    if node is not None and not node.get("requires_grad"):
        return (
            f"{start_en} {name} does not require grad (requires_grad=False: a frozen parameter, or a tensor made "
            "without requires_grad=True), so backward() never fills its .grad.",
            f"{start_ko} {name} 텐서는 requires_grad=False라서(고정한 파라미터이거나 requires_grad=True 없이 만든 "
            "텐서) backward()가 .grad를 채우지 않습니다.",
        )
    if node is not None and not node.get("is_leaf") and seen.was_leaf:
        return (
            f"{start_en} {name} was a leaf tensor, but a line like {name} = {name} - lr * {name}.grad bound the name "
            "to the result of an operation, which keeps no .grad. Update it in place inside `with torch.no_grad():` "
            f"({name} -= lr * {name}.grad), as optimizers do, so that it stays the same leaf tensor.",
            f"{start_ko} {name} 텐서는 리프 텐서였지만, {name} = {name} - lr * {name}.grad 같은 줄이 이름을 연산의 "
            f"결과에 다시 묶어서 .grad가 남지 않습니다. 옵티마이저처럼 `with torch.no_grad():` 안에서 제자리로 "
            f"바꾸세요({name} -= lr * {name}.grad). 그래야 같은 리프 텐서로 남습니다.",
        )
    if node is not None and not node.get("is_leaf"):
        return (
            f"{start_en} {name} was made by an operation (it is not a leaf tensor), and PyTorch keeps .grad only for "
            f"leaf tensors: call {name}.retain_grad() before backward() to keep it. The gradient that reached {name} "
            "is on its node in the graphs.",
            f"{start_ko} {name} 텐서는 연산으로 만들어진 텐서라서(리프 텐서가 아님) PyTorch가 .grad를 남기지 "
            f"않습니다. backward() 전에 {name}.retain_grad()를 호출하면 남습니다. {name} 텐서에 도착한 그래디언트는 "
            "그래프의 노드에 표시됩니다.",
        )
    if node is not None and seen.reached:
        return (  # (a leaf backward reached: its .grad was set back to None since)
            f"{start_en} {name} is a leaf tensor that requires grad, and backward() filled its .grad, but it was "
            "set back to None since: optimizer.zero_grad() and model.zero_grad() do that (set_to_none=True is the "
            f"default), and so does {name}.grad = None. Read .grad after backward(), or zero it with "
            "zero_grad(set_to_none=False) to keep zeros there.",
            f"{start_ko} {name} 텐서는 requires_grad=True인 리프 텐서라서 backward()가 .grad를 채웠지만, 그 뒤에 "
            "다시 None이 되었습니다. optimizer.zero_grad()와 model.zero_grad()가 그렇게 합니다(set_to_none=True가 "
            f"기본값입니다). {name}.grad = None도 마찬가지입니다. .grad는 backward() 뒤에 읽거나, "
            "zero_grad(set_to_none=False)로 0을 남기세요.",
        )
    if node is not None and seen.calls and all(call == "grad" for call in seen.calls):
        return (
            f"{start_en} {name} is a leaf tensor that requires grad, but the only backward passes here were "
            "torch.autograd.grad(), which returns the gradients it computes and fills no .grad: use the tensors it "
            f"returned, or call backward() to fill {name}.grad.",
            f"{start_ko} {name} 텐서는 requires_grad=True인 리프 텐서지만, 여기서 실행된 역전파는 "
            "torch.autograd.grad()뿐입니다. torch.autograd.grad()는 계산한 그래디언트를 돌려줄 뿐 .grad를 채우지 "
            f"않습니다. 돌려받은 텐서를 쓰거나, {name}.grad를 채우려면 backward()를 호출하세요.",
        )
    if node is not None and any(
        call == "backward" and given for call, given in zip(seen.calls, seen.given, strict=False)
    ):
        return (
            f"{start_en} {name} is a leaf tensor that requires grad, but backward() was given inputs=, the tensors to "
            f"compute gradients for, and {name} is not one of them: backward fills the .grad of those tensors only. "
            f"Add {name} to inputs= (if the loss is computed from {name}), or leave inputs= out.",
            f"{start_ko} {name} 텐서는 requires_grad=True인 리프 텐서지만, backward()에 inputs= 인자로 그래디언트를 "
            f"구할 텐서를 정해 주었고 {name} 텐서는 그 안에 없습니다. 역전파는 inputs에 있는 텐서의 .grad만 "
            f"채웁니다. 손실이 {name} 텐서로부터 계산된다면 inputs=에 {name} 텐서를 넣거나, inputs=를 빼세요.",
        )
    if node is not None:
        return (
            f"{start_en} {name} is a leaf tensor that requires grad, but no backward() has reached it: call "
            f"backward() before reading .grad, and check that the loss is computed from {name} (a layer the "
            "forward pass never uses gets no gradient). torch.autograd.grad() returns its gradients and fills no "
            ".grad.",
            f"{start_ko} {name} 텐서는 requires_grad=True인 리프 텐서지만, 아직 어떤 backward()도 이 텐서까지 오지 "
            f"않았습니다. .grad를 읽기 전에 backward()를 호출하고, 손실이 {name} 텐서로부터 계산되는지 확인하세요"
            "(순전파에서 쓰지 않는 층은 그래디언트를 받지 않습니다). torch.autograd.grad()는 그래디언트를 돌려줄 "
            "뿐 .grad를 채우지 않습니다.",
        )
    return (
        f"{start_en} A tensor's .grad stays None when it was made by an operation (not a leaf tensor: call "
        f"{name}.retain_grad() before backward() to keep it), when it does not require grad, or when no backward() "
        "has reached it yet. The gradient that reached each tensor is on its node in the graphs.",
        f"{start_ko} .grad가 None으로 남는 경우는 연산으로 만들어진 텐서라서(리프 텐서가 아님) PyTorch가 .grad를 "
        f"남기지 않을 때(backward() 전에 {name}.retain_grad()를 호출하면 남습니다), requires_grad가 False일 때, "
        "아직 backward()가 이 텐서까지 오지 않았을 때입니다. 각 텐서에 도착한 그래디언트는 그래프의 노드에 "
        "표시됩니다.",
    )


# The two sides of the one matrix product a failing line writes (`h @ W`, `torch.matmul(h, W)`, `h.mm(W)`), each a
# plain name (`x`, `self.w`, `xs[0]`)
_OPERAND = r"[^\W\d][\w.]*(?:\[\w+\])?"
_PRODUCT = re.compile(
    rf"(?<![\w.])({_OPERAND})\s*@\s*({_OPERAND})(?![\w.(\[])"
    rf"|torch\.(?:mm|matmul)\(\s*({_OPERAND})\s*,\s*({_OPERAND})\s*\)"
    rf"|(?<![\w.])({_OPERAND})\.(?:mm|matmul)\(\s*({_OPERAND})\s*\)"
)


# The two sides of the one element-wise operation a failing line writes between names (`w * x`, `a + b`; not `x ** 2`)
_ELEMENTWISE = re.compile(rf"(?<![\w.\])])({_OPERAND})\s*(?:[-+/]|\*(?!\*))\s*({_OPERAND})(?![\w.(\[])")


def _cannot_multiply(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = re.search(r"\((\d+)x(\d+) and (\d+)x(\d+)\)", error.get("message") or "")
    products = list(_PRODUCT.finditer(error.get("line_text") or ""))
    left, right = [side for side in products[0].groups() if side] if len(products) == 1 else ["", ""]
    if found and left and _product_fails(error.get("run"), left, right, int(found[2]), int(found[3])):
        # the line's own product, its two tensors by name (it said "a layer's in_features ... x.shape" of `h @ W`)
        return (
            "A matrix product needs the left matrix's number of columns to equal the right one's number of rows. "
            f"Here {left} (on the left) has {found[2]} columns and {right} (on the right) {found[3]} rows. Print "
            f"both shapes ({left}.shape, {right}.shape), then fix the one that is off where it was made.",
            "행렬 곱은 왼쪽 행렬의 열 수와 오른쪽 행렬의 행 수가 같아야 합니다. "
            f"여기서는 왼쪽 {left}의 열 수가 {found[2]}, 오른쪽 {right}의 행 수가 {found[3]}입니다. 두 텐서의 "
            f"모양({left}.shape, {right}.shape)을 출력해 본 뒤, 어긋난 쪽을 그 텐서를 만든 곳에서 고치세요.",
        )
    inner = f" Here the left has {found[2]} columns and the right {found[3]} rows." if found else ""
    inner_ko = f" 여기서는 왼쪽의 열 수가 {found[2]}, 오른쪽의 행 수가 {found[3]}입니다." if found else ""
    return (
        "A matrix product needs the left matrix's number of columns to equal the right one's number of rows."
        + inner
        + " In a model this usually means a layer's in_features differs from the last size of the tensor that "
        "reached it: print the input's shape (x.shape), then change the layer or reshape the input "
        "(x.view(x.size(0), -1) flattens all but the batch axis).",
        "행렬 곱은 왼쪽 행렬의 열 수와 오른쪽 행렬의 행 수가 같아야 합니다."
        + inner_ko
        + " 모델에서는 대개 층의 in_features가 그 층에 들어온 텐서의 마지막 크기와 다를 때 생깁니다. 입력의 모양"
        "(x.shape)을 출력해 본 뒤, 층을 고치거나 입력의 모양을 바꾸세요(x.view(x.size(0), -1)은 배치 축만 남기고 "
        "나머지를 펼칩니다).",
    )


def _shapes_of(run: dict[str, Any] | None, left: str, right: str) -> tuple[list[int], list[int]] | None:
    """The shapes of the Run's tensors named `left` and `right` (their last versions), or None."""
    shapes = {}
    for node in (run or {}).get("forward", {}).get("nodes", []):
        if node.get("kind") != "tensor":
            continue
        for name in (node.get("var"), *(node.get("aliases") or [])):  # (a loop's `x` is an alias of data[2])
            if name in (left, right):
                shapes[name] = node.get("shape") or []
    a, b = shapes.get(left), shapes.get(right)
    return (a, b) if a is not None and b is not None else None


def _product_fails(run: dict[str, Any] | None, left: str, right: str, columns: int, rows: int) -> bool:
    """Whether the Run's tensors named `left` and `right` are the sizes the error gives: the product that failed is
    the line's, not one inside a module it calls."""
    shapes = _shapes_of(run, left, right)
    if shapes is None or not shapes[0] or not shapes[1]:
        return False
    a, b = shapes
    return a[-1] == columns and (b[-2] if len(b) > 1 else b[0]) == rows


def _broadcast_fails(run: dict[str, Any] | None, left: str, right: str, dim: int, sizes: tuple[int, int]) -> bool:
    """Whether the Run's tensors named `left` and `right`, lined up from their last axis, have `sizes` on axis `dim`
    of the result: the element-wise operation that failed is the line's `left op right`."""
    shapes = _shapes_of(run, left, right)
    if shapes is None:
        return False
    ndim = max(len(shapes[0]), len(shapes[1]))
    on_axis = [shape[dim - ndim + len(shape)] if dim - ndim + len(shape) >= 0 else 1 for shape in shapes]
    return tuple(on_axis) == sizes


def _vector_sizes(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    """`v @ w` of vectors of other lengths (torch.dot), or `M @ v` where v's length is not M's column count (mv)."""
    message = error.get("message") or ""
    dot = re.search(r"but got (\d+) and (\d+) elements", message)
    mv = re.search(r"mat \((\d+)x(\d+)\), vec \((\d+)\)", message)
    if dot:
        here = f" Here the lengths are {dot[1]} and {dot[2]}."
        here_ko = f" 여기서는 길이가 {dot[1]}, {dot[2]}입니다."
    elif mv:
        here = f" Here the matrix has {mv[2]} columns and the vector {mv[3]} entries."
        here_ko = f" 여기서는 행렬의 열 수가 {mv[2]}, 벡터의 원소 수가 {mv[3]}입니다."
    else:
        here = here_ko = ""
    return (
        "A product with a vector (`@`, torch.dot, torch.mv) needs matching lengths: two vectors of the same length, or "
        "a matrix with as many columns as the vector has entries." + here + " Print both shapes (x.shape), then "
        "fix the one that is off, or transpose the matrix (M.T) if its rows were meant.",
        "벡터와의 곱(`@`, torch.dot, torch.mv)은 길이가 맞아야 합니다. 두 벡터의 길이가 같거나, 행렬의 열 수가 벡터의 "
        "원소 수와 같아야 합니다." + here_ko + " 두 텐서의 모양(x.shape)을 출력해 본 뒤 어긋난 쪽을 고치거나, 행을 "
        "곱하려던 것이면 행렬을 전치하세요(M.T).",
    )


def _sizes_differ(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = re.search(
        r"tensor a \((\d+)\) must match the size of tensor b \((\d+)\) at non-singleton dimension (\d+)",
        error.get("message") or "",
    )
    here = f" Here axis {found[3]} has sizes {found[1]} and {found[2]}." if found else ""
    # (3으로, 2로: the particle after the number as it is read)
    here_ko = (
        fill_korean_format(f" 여기서는 {found[3]}번 축의 크기가 {found[1]}, {{0}}로 서로 다릅니다.", [found[2]])
        if found
        else ""
    )
    line = error.get("line_text") or ""
    pairs = list(_ELEMENTWISE.finditer(line))
    left, right = pairs[0].groups() if len(pairs) == 1 else ("", "")
    sizes = (int(found[1]), int(found[2])) if found else (0, 0)
    if found and left and _broadcast_fails(error.get("run"), left, right, int(found[3]), sizes):
        # the line's own `w * x`: its two tensors by name (it said to print x.shape, whatever the names)
        shapes = f"{left}.shape, {right}.shape"
        return (
            "Element-wise operations line two shapes up from the last axis: on each axis the sizes must be equal, or "
            f"one of them 1 (broadcasting). Here {left} has {found[1]} and {right} {found[2]} on axis {found[3]}. "
            f"Print both shapes ({shapes}), then reshape one (unsqueeze, view) or fix where it was made.",
            "원소별 연산은 두 텐서의 모양을 마지막 축부터 맞춰 봅니다. 각 축의 크기는 같거나 한쪽이 1이어야 합니다"
            f"(브로드캐스팅). 여기서는 {found[3]}번 축에서 {left}의 크기가 {found[1]}, {right}의 크기가 "
            f"{found[2]}입니다. 두 텐서의 모양({shapes})을 출력해 본 뒤, 한쪽의 모양을 바꾸거나(unsqueeze, view) "
            "텐서를 만든 곳을 고치세요.",
        )
    return (
        "Element-wise operations line two shapes up from the last axis: on each axis the sizes must be equal, or one "
        "of them 1 (broadcasting)." + here + " Print both shapes (x.shape), then reshape one (unsqueeze, view) or "
        "fix where it was made.",
        "원소별 연산은 두 텐서의 모양을 마지막 축부터 맞춰 봅니다. 각 축의 크기는 같거나 한쪽이 1이어야 합니다"
        "(브로드캐스팅)." + here_ko + " 두 텐서의 모양(x.shape)을 출력해 본 뒤, 한쪽의 모양을 바꾸거나(unsqueeze, "
        "view) 텐서를 만든 곳을 고치세요.",
    )


_SAVED_FIX = (
    "Use the out-of-place form (x = x + 1 instead of x += 1), or clone it before changing it. An optimizer's step() "
    "changes the parameters in place too: call backward() before step(), or compute the loss again after it (in a "
    "GAN, step one model only after the other's backward()). The forward graph shows each in-place change as a new "
    "node of the tensor.",
    "x += 1 대신 x = x + 1처럼 새 텐서를 만드는 연산을 쓰거나, 바꾸기 전에 clone()으로 복사하세요. 옵티마이저의 "
    "step()도 파라미터를 제자리에서 바꿉니다. step() 전에 backward()를 호출하거나, step() 뒤에 손실을 다시 "
    "계산하세요(GAN이라면 한 모델의 backward()가 끝난 뒤에 다른 모델을 step()하세요). 순전파 그래프에는 제자리 "
    "변경마다 그 텐서의 새 노드가 생깁니다.",
)
_SAVED_CHANGED = (
    "A tensor that backward needs (a saved tensor) was changed in place after it was saved. " + _SAVED_FIX[0],
    "역전파에 필요한 저장된 텐서가 저장된 뒤에 제자리(in-place)로 바뀌었습니다. " + _SAVED_FIX[1],
)

_SAVED_OUTPUT = re.compile(r"which is output (\d+) of (\w+), is at version (\d+); expected version (\d+)")


def _saved_changed(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str]:
    """The saved tensor changed in place: the line that changed it, where the graphs say (`b.mul_(2)` changed `b`,
    the output of sigmoid that SigmoidBackward0 saved), before what to do about it."""
    where = _changed_by(error.get("run"), error.get("message") or "", error["lines"])
    if where is None:
        return _SAVED_CHANGED
    line, text, name = where
    return (
        f"Line {line} (`{text}`) changed {name} in place, which backward had saved to use. " + _SAVED_FIX[0],
        f"{line}번 줄(`{text}`)이 역전파가 쓰려고 저장해 둔 {name} 텐서를 제자리(in-place)에서 바꾸었습니다. "
        + _SAVED_FIX[1],
    )


_SAVED_INPUT = re.compile(r"\[torch\.\w+ \[([\d, ]*)\]\] is at version (\d+); expected version \d+")


def _leaf_changed_by(run: dict[str, Any], message: str, lines: list[str]) -> tuple[int, str, str] | None:
    """(line, its code, the tensor as a hint names it) of the one in-place op that moved a tensor of the shape the
    message names (a saved tensor no op made: a leaf, `w` of `w * w`) to the version it says; None if not one."""
    found = _SAVED_INPUT.search(message)
    if found is None:
        return None
    shape, version = [int(size) for size in found[1].split(",") if size.strip()], int(found[2])
    nodes = {node["id"]: node for node in run["forward"]["nodes"]}
    maker = {edge["target"]: nodes.get(edge["source"], {}) for edge in run["forward"]["edges"]}
    changed: dict[int, list[dict[str, Any]]] = {}  # the line of each in-place op -> the tensors it moved there
    for node in nodes.values():
        op = maker.get(node["id"], {})
        if node["kind"] == "tensor" and node.get("version") == version and node.get("shape") == shape:
            in_place = op.get("op", "").endswith(("_", ".step"))  # (an optimizer's step changes its parameters)
            if in_place and isinstance(op.get("line"), int) and 0 < op["line"] <= len(lines):
                changed.setdefault(op["line"], []).append(node)
    if len(changed) != 1:
        return None
    ((line, moved),) = changed.items()
    # (`w.detach().mul_(2)` moves both: the leaf that requires grad is the one saved)
    node = next((n for n in moved if n.get("is_leaf") and n.get("requires_grad")), moved[0])
    name = node.get("var") or node.get("expr")
    return line, lines[line - 1].strip()[:LINE_CHARS], f"`{name}`" if name else "a tensor"


def _changed_by(run: dict[str, Any] | None, message: str, lines: list[str]) -> tuple[int, str, str] | None:
    """(line, its code, the tensor as a hint names it) of the in-place op that moved the saved output the message
    names to the version it says, from the forward graph; None if the graphs do not tell."""
    found = _SAVED_OUTPUT.search(message)
    if run is not None and found is None:  # (a saved tensor no op made: `w` of `w * w`, changed under no_grad)
        return _leaf_changed_by(run, message, lines)
    if run is None or found is None:
        return None
    op, version = found[2], int(found[3])
    nodes = {node["id"]: node for node in run["forward"]["nodes"]}
    users: dict[str, list[str]] = {}
    for edge in run["forward"]["edges"]:
        users.setdefault(edge["source"], []).append(edge["target"])
    maker = {target: source for source, targets in users.items() for target in targets}
    made = {node["tensor"] for node in run["backward"]["nodes"] if re.fullmatch(rf"{op}(Backward\d*)?", node["name"])}
    for tensor in made:
        if tensor not in nodes:
            continue
        # the in-place op that made this version (its node names the op now: `x.add_(1)`, "output 0 of Add"), or
        # that made the next one from it (`b.mul_(2)` of sigmoid's output, "output 0 of Sigmoid")
        changers = [maker[tensor]] if nodes[tensor].get("version") == version and tensor in maker else []
        changers += [
            u for u in users.get(tensor, []) if any(nodes[o].get("version") == version for o in users.get(u, []))
        ]
        for changer in changers:
            line = nodes[changer].get("line")
            if nodes[changer].get("op", "").endswith("_") and isinstance(line, int) and 0 < line <= len(lines):
                name = nodes[tensor].get("var") or nodes[tensor].get("expr")
                return line, lines[line - 1].strip()[:LINE_CHARS], f"`{name}`" if name else "a tensor"
    return None


_SANDBOX_REFUSED = (
    "The sandbox gradwalk runs snippets in refused this: a snippet cannot start processes or programs "
    "(multiprocessing, subprocess, os.fork) and writes files only to its scratch folder. Do the work in the snippet "
    "itself (a DataLoader's workers already run in the snippet's process).",
    "gradwalk는 코드를 샌드박스 안에서 실행하는데, 샌드박스가 이 동작을 막았습니다. 코드에서 새 프로세스나 프로그램을 "
    "시작할 수 없고(multiprocessing, subprocess, os.fork), 파일은 작업용 임시 폴더에만 쓸 수 있습니다. 필요한 작업은 "
    "코드 안에서 직접 하세요(DataLoader의 worker는 이미 코드와 같은 프로세스에서 실행됩니다).",
)

_NO_SHARED_MEMORY = (
    "The sandbox gradwalk runs snippets in gives a run no memory shared between processes (/dev/shm), and no "
    "processes to share it with: model.share_memory() and Hogwild training with torch.multiprocessing cannot run "
    "here. Train in the snippet's own process: call the training function once, as the worker processes would have.",
    "gradwalk는 코드를 샌드박스 안에서 실행하는데, 샌드박스에서는 프로세스끼리 나누어 쓰는 메모리(/dev/shm)도, 그것을 "
    "나눌 새 프로세스도 쓸 수 없습니다. 그래서 model.share_memory()와 torch.multiprocessing으로 하는 Hogwild 학습은 "
    "여기서 실행되지 않습니다. 워커 프로세스가 하던 대로 학습 함수를 코드의 프로세스에서 한 번 직접 부르세요.",
)

# multiprocessing's objects built on memory shared between processes (a semaphore in /dev/shm): making one on the
# failing line, in a snippet that imports multiprocessing, is why the sandbox refused it (`lock = mp.Lock()`), not a
# process started.
_SHARED_OBJECT_MADE = re.compile(
    r"\b(?:Lock|RLock|Semaphore|BoundedSemaphore|Event|Condition|Barrier|Queue|JoinableQueue|SimpleQueue|Value|Array)"
    r"\s*\("
)
_IMPORTS_MULTIPROCESSING = re.compile(r"^\s*(?:import|from)\s+(?:torch\.)?multiprocessing\b", re.MULTILINE)


def _shared_object_refused(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """`lock = mp.Lock()`, `q = mp.Queue()`: the sandbox refused the shared memory they are built on, and the hint
    said the snippet cannot start processes, where it started none."""
    if not _SHARED_OBJECT_MADE.search(error.get("line_text") or ""):
        return None
    if not _IMPORTS_MULTIPROCESSING.search("\n".join(error.get("lines") or ())):
        return None
    return (
        "The sandbox gradwalk runs snippets in gives a run no memory shared between processes (/dev/shm), which "
        "multiprocessing's Lock, Queue, Value and Event are built on, and no processes to share them with. Do the work "
        "in the snippet's own process: within one process, threading.Lock and queue.Queue do the same.",
        "gradwalk는 코드를 샌드박스 안에서 실행하는데, 샌드박스에서는 프로세스끼리 나누어 쓰는 메모리(/dev/shm)도, "
        "그것을 나눌 새 프로세스도 쓸 수 없습니다. multiprocessing의 Lock, Queue, Value, Event는 이 메모리 위에 "
        "만들어지므로 여기서 만들 수 없습니다. 작업은 코드의 프로세스에서 직접 하세요. 한 프로세스 안에서는 "
        "threading.Lock과 queue.Queue가 같은 일을 합니다.",
    )


_MM_NEEDS_MATRICES = (
    "torch.mm (and Tensor.mm) multiplies two matrices (2-D tensors) only. For a vector or a batch, use x @ w or "
    "torch.matmul(x, w), which take any number of leading dimensions; or make the vector a one-row matrix, "
    "x.unsqueeze(0).",
    "torch.mm(과 Tensor.mm)은 행렬(2차원 텐서) 두 개만 곱합니다. 벡터나 배치에는 앞쪽 차원을 몇 개든 받는 x @ w나 "
    "torch.matmul(x, w)를 쓰거나, 벡터를 한 행짜리 행렬로 바꾸세요(x.unsqueeze(0)).",
)
_BMM_NEEDS_BATCHES = (
    "torch.bmm multiplies batches of matrices: both tensors must be 3-D, (batch, n, m) and (batch, m, p). For 2-D "
    "matrices use x @ w (torch.matmul), which also broadcasts a matrix over a batch.",
    "torch.bmm은 행렬의 배치끼리 곱하므로 두 텐서가 모두 3차원, 곧 (batch, n, m)과 (batch, m, p)여야 합니다. 2차원 "
    "행렬에는 x @ w(torch.matmul)를 쓰세요. matmul은 행렬 하나를 배치 전체에 맞춰 곱해 주기도 합니다.",
)

_NO_NETWORK = (
    "The sandbox gradwalk runs snippets in opens no network sockets, so torch.distributed cannot set up its process "
    "group here (init_process_group, and DistributedDataParallel after it). Run the training in one process without "
    "it: use the model itself where the code wraps it in DDP(model) (with one process, DDP computes the same "
    "gradients), and leave out init_process_group and destroy_process_group.",
    "gradwalk는 코드를 샌드박스 안에서 실행하는데, 샌드박스에서는 네트워크 소켓을 열 수 없어서 torch.distributed가 "
    "프로세스 그룹을 만들 수 없습니다(init_process_group, 그리고 그 뒤의 DistributedDataParallel). 학습을 프로세스 "
    "하나로 실행하세요. DDP(model)로 감싼 곳에서는 모델을 그대로 쓰고(프로세스가 하나면 DDP도 같은 그래디언트를 "
    "계산합니다), init_process_group과 destroy_process_group은 빼세요.",
)


_NO_GPU = (
    "This PyTorch runs on the CPU, with no GPU (as gradwalk runs snippets), so .cuda(), .to('cuda') and "
    "device='cuda' (or 'mps') fail here. Choose the device as portable code does: device = "
    "torch.device('cuda' if torch.cuda.is_available() else 'cpu'), then model.to(device) and x.to(device); or "
    "remove the .cuda() calls.",
    "이 PyTorch는 GPU 없이 CPU에서 돌아가므로(gradwalk가 코드를 실행하는 방식입니다) .cuda(), .to('cuda'), "
    "device='cuda'(또는 'mps')는 여기서 실패합니다. 어디서나 도는 코드처럼 장치를 고르세요: device = "
    "torch.device('cuda' if torch.cuda.is_available() else 'cpu')로 정하고 model.to(device), x.to(device)를 "
    "쓰거나, .cuda() 호출을 지우세요.",
)
_NO_KEYBOARD = (
    "input() waits for someone to type a line, and a snippet run on the server has no keyboard: it reads nothing and "
    "stops here. Write the value into the code instead (name = 'Ada', steps = 3).",
    "input()은 누군가 한 줄을 입력하기를 기다리는데, 서버에서 실행되는 코드에는 키보드가 없어서 아무것도 읽지 못하고 "
    "여기서 멈춥니다. 값을 코드에 직접 적어 주세요(name = 'Ada', steps = 3).",
)
_NO_DEBUGGER = (
    "breakpoint() (or pdb.set_trace()) starts the debugger, which waits for commands typed at a keyboard; a snippet "
    "run on the server has none, so the debugger quits here. Remove the call, and print() the values you want to "
    "see: every tensor's value and gradient is also in the graphs.",
    "breakpoint()(또는 pdb.set_trace())는 키보드로 명령을 입력받는 디버거를 시작합니다. 서버에서 실행되는 코드에는 "
    "키보드가 없어서 디버거가 여기서 끝납니다. 이 호출을 지우고, 보고 싶은 값은 print()로 출력하세요. 모든 텐서의 "
    "값과 그래디언트는 그래프에서도 볼 수 있습니다.",
)
_NO_FILE = (
    "The file is not there. In gradwalk's sandbox (the web page, gradwalk capture) a snippet has none of your "
    "files, so a file it reads (a checkpoint, a dataset, an image) exists only if the snippet wrote it first. "
    "Make the data in the code (torch.randn, torch.tensor), or save what you load earlier in the same snippet "
    "(torch.save(model.state_dict(), 'model.pt')).",
    "파일이 없습니다. gradwalk의 샌드박스(웹 페이지, gradwalk capture)에서는 사용자의 파일이 없으므로, 코드가 "
    "읽는 파일(체크포인트, 데이터셋, 이미지)은 코드가 먼저 썼을 때만 있습니다. 데이터를 코드에서 만들거나"
    "(torch.randn, torch.tensor), 불러올 것을 같은 코드 앞부분에서 저장하세요"
    "(torch.save(model.state_dict(), 'model.pt')).",
)
_MODULE_ADVICE = {
    "torchvision": (
        " For a dataset, make stand-in tensors of its shape (MNIST: images torch.randn(N, 1, 28, 28), labels "
        "torch.randint(0, 10, (N,))) and wrap them in a TensorDataset; for a model, write its layers with torch.nn.",
        " 데이터셋이라면 같은 모양의 텐서를 만들어(MNIST: 이미지 torch.randn(N, 1, 28, 28), 레이블 "
        "torch.randint(0, 10, (N,))) TensorDataset에 담고, 모델이라면 torch.nn으로 층을 직접 쓰세요.",
    ),
    "matplotlib": (" Print the values instead of plotting them.", " 그래프를 그리는 대신 값을 출력하세요."),
}


def _no_module(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """A module the snippet imports that is not installed where snippets run (torchvision, matplotlib, sklearn)."""
    found = _found(error, r"No module named '([\w.]+)'")
    if not found:
        return None
    top = found[1].split(".")[0]
    there = [m for m in ("numpy", "tqdm") if importlib.util.find_spec(m) is not None]
    with_ = f" (with {' and '.join(there)})" if there else ""
    with_ko = f"({', '.join(there)} 포함)" if there else ""
    advice = _MODULE_ADVICE.get(top, ("", ""))
    return (
        f"The module {top} is not installed here: there is PyTorch{with_}, and in gradwalk's sandbox no network to "
        f"fetch data with.{advice[0]} Keep the part of the code that uses torch.",
        fill_korean_format("{0} 모듈은 여기에 설치되어 있지 않습니다. ", [top])
        + f"PyTorch{with_ko}만 있고, gradwalk의 샌드박스에는 데이터를 받아 올 네트워크도 없습니다."
        + f"{advice[1]} torch를 쓰는 부분만 남기세요.",
    )


_SHORTER = (
    " A loop shows the same graph after a few steps as after thousands: to see it all, run fewer steps or a smaller "
    "model.",
    " 반복문은 몇 번만 돌려도 수천 번 돌린 것과 같은 그래프를 보여 줍니다. 전체를 보려면 반복 횟수를 줄이거나 더 작은 "
    "모델을 쓰세요.",
)
_RAN_ON = (
    "gradwalk stopped recording at the marked line and let the code run on unrecorded: the graphs show only what "
    "came before that line, while the printed output goes on past it.",
    "gradwalk는 표시된 줄에서 기록을 멈추고, 코드는 기록 없이 계속 실행했습니다. 그래서 그래프에는 그 줄 이전까지만 "
    "담겨 있지만, 출력은 그 뒤의 내용까지 나와 있습니다.",
)
_GRAPH_LIMIT = (
    "The graph grew past what one run may hold, so " + _RAN_ON[0] + _SHORTER[0],
    "그래프가 한 번의 실행에 담을 수 있는 크기를 넘었습니다. 그래서 " + _RAN_ON[1] + _SHORTER[1],
)
_LOOP_PAUSED = (
    "A loop of the snippet took half of what one run may record (the graphs' room, or the recording's time), so "
    "gradwalk ran the rest of the loop unrecorded and recorded the code after the loop again. The printed output is "
    "complete. A loop's graph looks the same after a few iterations as after thousands.",
    "반복문이 한 번의 실행에서 기록할 수 있는 양(그래프의 크기나 기록 시간)의 절반을 썼습니다. 그래서 gradwalk는 "
    "반복문의 나머지를 기록 없이 실행한 뒤, 반복문 다음 코드부터 다시 기록했습니다. 출력은 모두 그대로 나와 "
    "있습니다. 반복문은 몇 번만 돌려도 수천 번 돌린 것과 같은 그래프를 보여 줍니다.",
)
_RECORD_LIMIT = (
    "Recording took longer than a run may spend on it, so " + _RAN_ON[0] + _SHORTER[0],
    "기록하는 데 한 번의 실행에 허용된 시간보다 오래 걸렸습니다. 그래서 " + _RAN_ON[1] + _SHORTER[1],
)
_TIMEOUT = (
    "The code ran longer than one run may, so gradwalk stopped it at the marked line while there was still time to "
    "draw: the graphs and the printed output show what happened before that line." + _SHORTER[0],
    "코드가 한 번의 실행에 허용된 시간보다 오래 걸려서, gradwalk가 그래프를 그릴 시간이 남아 있을 때 표시된 줄에서 "
    "실행을 멈췄습니다. 그래프와 출력에는 그 줄 이전까지의 내용이 담겨 있습니다." + _SHORTER[1],
)


def _found(error: dict[str, Any], pattern: str) -> "re.Match[str] | None":
    return re.search(pattern, error.get("message") or "")


_INFERENCE_SAVED = (
    "A tensor made inside torch.inference_mode() can never join a graph: autograd cannot save it for backward. Make "
    "tensors you will later use with gradients under torch.no_grad() instead, or copy this one outside inference mode "
    "with .clone() before the computation you differentiate.",
    "torch.inference_mode() 안에서 만든 텐서는 어떤 그래프에도 들어갈 수 없습니다. 자동 미분이 역전파를 위해 그 "
    "텐서를 저장할 수 없기 때문입니다. 나중에 그래디언트와 함께 쓸 텐서라면 torch.no_grad() 안에서 만들거나, "
    "inference_mode 밖에서 .clone()으로 복사한 뒤 미분할 계산에 쓰세요.",
)
_INTEGER_GRAD = (
    "Only floating-point (or complex) tensors can require grad: a derivative needs values that can change by a "
    "little. torch.tensor([1, 2, 3]) and torch.arange(3) make integer tensors (int64). Write 1.0 instead of 1, pass "
    "dtype=torch.float32, or call .float() before requires_grad_().",
    "실수(또는 복소수) 텐서만 requires_grad=True로 설정할 수 있습니다. 미분은 값이 아주 조금씩 변할 수 있어야 "
    "하기 때문입니다. torch.tensor([1, 2, 3])과 torch.arange(3)은 정수(int64) 텐서를 만듭니다. 1 대신 1.0으로 "
    "쓰거나, dtype=torch.float32를 넘기거나, requires_grad_() 전에 .float()를 호출하세요.",
)


def _anomaly_nan(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"Function '(\w+)' returned nan values in its (\d+)\w* output")
    node, slot = (found[1], found[2]) if found else ("a node", "?")
    return (
        f"Anomaly detection stopped backward at the first node whose gradient came out NaN: {node}, for its input "
        f"{slot}. The warning printed above it (stderr) shows the forward line that made this node. The usual causes "
        "are a slope that is infinite or undefined where the op was evaluated: sqrt, or pow with a fractional "
        "exponent, at 0; log of 0 or of a negative number; 0/0. Add a small number (torch.sqrt(x + 1e-8)), clamp the "
        "input (x.clamp(min=1e-8)), or mask those entries with torch.where before the op.",
        f"이상 감지(anomaly detection)가 그래디언트가 NaN이 된 첫 노드에서 역전파를 멈췄습니다: {node}의 {slot}번 "
        "입력입니다. 그 위에 출력된 경고(stderr)에 이 노드를 만든 순전파 줄이 나옵니다. 흔한 원인은 연산을 계산한 "
        "지점에서 미분값이 무한대이거나 정의되지 않는 경우입니다. 0에서의 sqrt나 분수 지수의 pow, 0이나 음수의 "
        "log, 0/0이 그렇습니다. 작은 값을 더하거나(torch.sqrt(x + 1e-8)), 입력을 clamp하거나"
        "(x.clamp(min=1e-8)), 연산 전에 torch.where로 그런 원소를 가리세요.",
    )


_NOT_A_PARAMETER = (
    "A module's parameter can only be replaced by an nn.Parameter (or None): a plain tensor would not be among "
    "model.parameters(), and no optimizer would train it. Wrap it: layer.weight = nn.Parameter(values); or, to change "
    "the values only, copy them in without recording: with torch.no_grad(): layer.weight.copy_(values).",
    "모듈의 파라미터 자리에는 nn.Parameter(또는 None)만 넣을 수 있습니다. 일반 텐서는 model.parameters()에 들어가지 "
    "않아서 옵티마이저가 학습시키지 못합니다. layer.weight = nn.Parameter(values)처럼 감싸거나, 값만 바꾸려면 "
    "기록하지 않고 복사하세요: with torch.no_grad(): layer.weight.copy_(values).",
)
_BEFORE_INIT = (
    "A module registers its layers and parameters in tables that nn.Module.__init__ makes: call super().__init__() "
    "as the first line of your model's __init__, before any self.layer = ... .",
    "모듈은 nn.Module.__init__이 만드는 목록에 층과 파라미터를 등록합니다. 모델의 __init__ 첫 줄에서, "
    "self.layer = ... 보다 먼저 super().__init__()을 호출하세요.",
)
_NON_LEAF_FLAG = (
    "Only a leaf tensor (one you created, not the result of an op) has a requires_grad of its own; a computed "
    "tensor requires grad exactly when one of its inputs does. To read its gradient after backward, call "
    ".retain_grad() on it; to use its values without a graph, take .detach(); to make it a new leaf that requires "
    "grad, .detach().requires_grad_().",
    "requires_grad를 직접 바꿀 수 있는 것은 리프 텐서(연산의 결과가 아니라 직접 만든 텐서)뿐입니다. 연산으로 만든 "
    "텐서는 입력 중 하나라도 그래디언트가 필요하면 저절로 requires_grad=True가 됩니다. 역전파 뒤 그 텐서의 "
    "그래디언트를 보려면 .retain_grad()를, 그래프 없이 값만 쓰려면 .detach()를, 그래디언트가 필요한 새 리프 "
    "텐서로 만들려면 .detach().requires_grad_()를 쓰세요.",
)


def _input_written(line_text: str, index: int) -> str | None:
    """How the failing line wrote input `index` of its `autograd.grad(outputs, inputs)` call (`y` of `[x, y]`), when
    the call is whole on the line; else None."""
    try:
        tree = ast.parse(line_text.strip())
    except SyntaxError:
        return None
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or not isinstance(call.func, (ast.Attribute, ast.Name)):
            continue
        if (call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id) != "grad":
            continue
        named = [k.value for k in call.keywords if k.arg == "inputs"]
        given = call.args[1] if len(call.args) > 1 else named[0] if named else None
        items = given.elts if isinstance(given, (ast.List, ast.Tuple)) else []  # (`params`: a tensor, or a list?)
        if index < len(items) and not any(isinstance(item, ast.Starred) for item in items[: index + 1]):
            written = ast.unparse(items[index])
            return written if len(written) <= 80 else None
    return None


def _unused_input(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"at index (\d+)")
    written = _input_written(error.get("line_text") or "", int(found[1])) if found else None
    # (the snippet's own name for it, as it wrote the call: `y (inputs[1])`)
    which = f"{written} (inputs[{found[1]}])" if found and written else f"inputs[{found[1]}]" if found else None
    which = which or "one of the inputs"
    return (
        f"torch.autograd.grad was asked for the gradient with respect to {which}, but the outputs were not computed "
        "from that tensor, so there is no path back to it. Check that the output is made from this very tensor (not a "
        "copy, nor one the name was bound to before). If its gradient is zero by design, pass allow_unused=True (it "
        "then returns None for it), and materialize_grads=True for zeros instead of None.",
        f"torch.autograd.grad에 {which}에 대한 그래디언트를 물었지만, 출력이 그 텐서로부터 계산되지 않아 거슬러 "
        "올라갈 경로가 없습니다. 출력이 바로 이 텐서로 만들어졌는지(복사본이나, 같은 이름이 전에 가리키던 텐서가 "
        "아닌지) 확인하세요. 원래 그래디언트가 0인 것이라면 allow_unused=True를 넘기세요(그 자리에 None을 "
        "돌려줍니다). materialize_grads=True를 함께 넘기면 None 대신 0이 나옵니다.",
    )


_HOOK_WITHOUT_GRAD = (
    "A tensor hook runs when backward computes that tensor's gradient, and a tensor that does not require grad never "
    "gets one. Give the leaf requires_grad=True first, or register the hook on a tensor computed from one that "
    "requires grad.",
    "텐서 훅은 역전파가 그 텐서의 그래디언트를 계산할 때 실행되는데, requires_grad=False인 텐서는 그래디언트를 "
    "받지 않습니다. 먼저 리프 텐서에 requires_grad=True를 주거나, 그래디언트가 필요한 텐서로부터 계산된 텐서에 "
    "훅을 거세요.",
)
_NUMPY_OF_GRAPH = (
    "NumPy cannot record operations for backward, so PyTorch will not hand it a tensor that is part of a graph. "
    "Take the values off the graph first: x.detach().numpy() (the two share memory), or x.detach().tolist() for "
    "Python numbers.",
    "NumPy는 역전파를 위한 연산을 기록하지 못하므로, PyTorch는 그래프에 속한 텐서를 NumPy로 넘기지 않습니다. "
    "먼저 그래프에서 떼어 낸 값을 쓰세요: x.detach().numpy()(둘은 메모리를 공유합니다), 파이썬 숫자가 필요하면 "
    "x.detach().tolist().",
)


def _hook_resized(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"hook '([^']*)' has changed the size")
    hook = f"The hook {found[1]}" if found else "The hook"
    hook_ko = f"훅 {found[1]}" if found else "이 훅"
    return (
        "A tensor hook (register_hook) must return a gradient of the same shape as its tensor, or None to leave the "
        f"gradient as it is. {hook} returned another shape: a sum or mean over an axis drops that axis "
        "(keepdim=True keeps it), and indexing picks fewer values.",
        "텐서 훅(register_hook)은 훅을 건 텐서와 모양이 같은 그래디언트를 돌려주거나, 그래디언트를 그대로 둘 때는 "
        f"None을 돌려줘야 합니다. {fill_korean_format('{0}이', [hook_ko])} 다른 모양을 돌려주었습니다. "
        "축을 따라 sum이나 mean을 하면 그 축이 "
        "사라지고(keepdim=True로 남길 수 있습니다), 인덱싱은 값을 더 적게 고릅니다.",
    )


def _gradient_count(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"function (\w+) returned an incorrect number of gradients \(expected (\d+), got (\d+)\)")
    node, expected, got = (found[1], found[2], found[3]) if found else ("backward", "one per input", "another number")
    return (
        f"A custom autograd.Function's backward must return one gradient for each argument its forward took after "
        f"ctx, in the same order: {node} needs {expected} and returned {got}. Return None for an argument that needs "
        "no gradient (a number, a flag, a tensor that does not require grad): return grad_x, None.",
        "사용자 정의 autograd.Function의 backward는 forward가 ctx 다음에 받은 인자마다 그래디언트를 하나씩, 같은 "
        f"순서로 돌려줘야 합니다. {node}에는 {expected}개가 필요한데 {got}개를 돌려주었습니다. 그래디언트가 필요 없는 "
        "인자(숫자, 플래그, 그래디언트가 필요 없는 텐서)에는 None을 돌려주세요: return grad_x, None.",
    )


def _bad_view_shape(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"shape '\[([-\d, ]*)\]' is invalid for input of size (\d+)")
    here = here_ko = ""
    if found:
        sizes = [int(s) for s in found[1].split(",") if s.strip()]
        holds = 1
        for size in sizes:
            holds *= size if size >= 0 else 1
        if all(s >= 0 for s in sizes):
            here = f" Here [{found[1]}] holds {holds} elements, and the tensor has {found[2]}."
            here_ko = f" 여기서 [{found[1]}]는 원소 {holds}개인데, 텐서의 원소는 {found[2]}개입니다."
        else:
            here = f" Here the other sizes of [{found[1]}] do not divide the tensor's {found[2]} elements."
            here_ko = f" 여기서는 [{found[1]}]의 나머지 크기들로 텐서의 원소 {found[2]}개가 나누어떨어지지 않습니다."
    return (
        "view and reshape keep every element, so the sizes of the new shape must multiply to the number of elements."
        + here
        + " Print x.shape, and let one size be worked out with -1 (x.view(x.size(0), -1)).",
        "view와 reshape는 원소를 하나도 버리지 않으므로, 새 모양의 크기를 모두 곱한 값이 원소 수와 같아야 합니다."
        + here_ko
        + " x.shape를 출력해 보고, 크기 하나는 -1로 두어 자동으로 계산되게 하세요(x.view(x.size(0), -1)).",
    )


def _dtypes_differ(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"got:? ([\w:]+) (?:and|!=) ([\w:]+)")
    kinds = (found[1].removeprefix("c10::"), found[2].removeprefix("c10::")) if found else None
    here, here_ko = (f" ({kinds[0]} and {kinds[1]})", f"({kinds[0]}, {kinds[1]})") if kinds else ("", "")
    if found and any(kind in found[0] for kind in ("BFloat16", "Half")):
        return (
            f"The two tensors of this operation have different dtypes{here}. A result made inside torch.autocast "
            "keeps its lower precision (bfloat16 or float16) after the `with` block, and a matrix product does not "
            "mix it with float32. Do this operation inside the same autocast block, or convert the result back "
            "first: h.float().",
            f"이 연산의 두 텐서의 dtype이 서로 다릅니다{here_ko}. torch.autocast 안에서 만든 결과는 `with` 블록이 끝난 "
            "뒤에도 낮은 정밀도(bfloat16이나 float16)로 남고, 행렬 곱은 이를 float32와 섞지 않습니다. 이 연산을 같은 "
            "autocast 블록 안에서 하거나, 먼저 결과를 되돌리세요: h.float().",
        )
    return (
        f"The two tensors of this operation have different dtypes{here}, and a matrix product does not convert "
        "between them. Tensors made from NumPy arrays (torch.from_numpy, torch.tensor(array)) are float64 (Double), "
        "while layers' parameters and torch.randn are float32 (Float). Convert one side: x = x.float(), or "
        "torch.tensor(array, dtype=torch.float32).",
        f"이 연산의 두 텐서의 dtype이 서로 다른데{here_ko}, 행렬 곱은 dtype을 맞춰 주지 않습니다. NumPy 배열로 만든 "
        "텐서(torch.from_numpy, torch.tensor(array))는 float64(Double)이고, 층의 파라미터와 torch.randn은 "
        "float32(Float)입니다. 한쪽을 바꾸세요: x = x.float() 또는 torch.tensor(array, dtype=torch.float32).",
    )


_TARGET_KIND = (
    "cross_entropy (nn.CrossEntropyLoss) and nll_loss (nn.NLLLoss) take a class index per example as their target "
    "(shape [N], integers: torch.long); cross_entropy also takes class probabilities shaped like the input (floats), "
    "nll_loss does not. A float target of indices needs target.long(); one-hot rows need target.argmax(dim=1), or "
    "target.float() for cross_entropy.",
    "cross_entropy(nn.CrossEntropyLoss)와 nll_loss(nn.NLLLoss)의 정답(target)은 예제마다 클래스 번호 하나(모양 [N], "
    "정수 torch.long)입니다. cross_entropy는 입력과 모양이 같은 클래스별 확률(실수)도 받지만 nll_loss는 받지 "
    "않습니다. 클래스 번호를 실수로 담았다면 target.long()을, 원-핫 행이라면 target.argmax(dim=1)을 쓰세요"
    "(cross_entropy라면 target.float()도 됩니다).",
)
_AMBIGUOUS_BOOL = (
    "Python's if, while, and, or and not need one True or False, but this tensor holds several values. Say which "
    "you mean: (x > 0).all() for every element, (x > 0).any() for at least one, or x.item() for a tensor of one "
    "value. To choose element by element, use torch.where(x > 0, a, b).",
    "파이썬의 if, while, and, or, not은 참이나 거짓 하나가 필요한데, 이 텐서에는 값이 여러 개 있습니다. 무엇을 "
    "뜻하는지 밝혀 주세요. 모든 원소라면 (x > 0).all(), 하나라도라면 (x > 0).any(), 값이 하나인 텐서라면 "
    "x.item()입니다. 원소마다 따로 고르려면 torch.where(x > 0, a, b)를 쓰세요.",
)
_NOT_ONE_NUMBER = (
    ".item(), float() and int() turn a tensor of exactly one element into a Python number, and this one holds more. "
    "Reduce it first (loss.mean().item()), pick one element (x[0].item()), or take them all with x.tolist(). "
    "torch.tensor([a, b]) of tensors fails the same way: torch.stack([a, b]) joins tensors, and keeps their graph.",
    ".item(), float(), int()는 원소가 정확히 하나인 텐서만 파이썬 숫자로 바꾸는데, 이 텐서에는 원소가 더 "
    "있습니다. 먼저 값 하나로 줄이거나(loss.mean().item()), 원소 하나를 고르거나(x[0].item()), x.tolist()로 "
    "모두 꺼내세요. 텐서들로 torch.tensor([a, b])를 만들 때도 같은 오류가 납니다. 텐서를 합치려면 "
    "torch.stack([a, b])를 쓰세요. 그래프도 그대로 남습니다.",
)


def _batch_sizes(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"input batch_size \((\d+)\) to match target batch_size \((\d+)\)")
    here = f" {found[1]} predictions but {found[2]} targets" if found else " a different number of targets"
    here_ko = f" 예측은 {found[1]}개인데 정답은 {found[2]}개입니다" if found else " 예측과 정답의 개수가 다릅니다"
    return (
        f"The loss got{here}: the first axis of both is the batch. Print both shapes (out.shape, target.shape): a "
        "view(-1, ...) that folded other axes into the batch, or targets of another batch, is the usual cause.",
        f"손실 함수에 들어온{here_ko}. 두 텐서의 첫 번째 축은 배치입니다. 두 모양(out.shape, target.shape)을 출력해 "
        "보세요. 흔한 원인은 다른 축을 배치 축에 섞어 넣은 view(-1, ...)나, 다른 배치의 정답입니다.",
    )


_VIEW_NOT_CONTIGUOUS = (
    "view never copies, so it works only when the elements lie in memory in the order the new shape reads them; "
    "after a transpose (.t(), .transpose, .permute) or .expand they do not. Use .reshape(...), which copies when it "
    "must, or .contiguous().view(...).",
    "view는 복사하지 않기 때문에, 원소가 메모리에 새 모양이 읽는 순서대로 놓여 있을 때만 쓸 수 있습니다. 전치"
    "(.t(), .transpose, .permute)나 .expand 뒤에는 그렇지 않습니다. 필요할 때만 복사하는 .reshape(...)나 "
    ".contiguous().view(...)를 쓰세요.",
)
_NON_LEAF_OPTIMIZED = (
    "An optimizer changes its tensors in place, so it takes leaf tensors only, and this one is the result of an op "
    "(torch.randn(3, requires_grad=True) * 0.01 is the product, not the leaf). Make the leaf in its final form: "
    "(torch.randn(3) * 0.01).requires_grad_(), or nn.Parameter(torch.randn(3) * 0.01).",
    "옵티마이저는 텐서를 제자리에서 바꾸므로 리프 텐서만 받는데, 이 텐서는 연산의 결과입니다"
    "(torch.randn(3, requires_grad=True) * 0.01은 곱셈의 결과이지 리프 텐서가 아닙니다). 리프 텐서를 최종 모양으로 "
    "만드세요: (torch.randn(3) * 0.01).requires_grad_() 또는 nn.Parameter(torch.randn(3) * 0.01).",
)
# The tensors an optimizer's line lists (`torch.optim.SGD([x, b], lr=0.1)`, `Adam([{"params": [w]}])`).
_LISTED = (re.compile(r"[\[,]\s*([A-Za-z_][\w.]*)\s*(?=[,\]])"),)
CODE_QUOTED_CHARS = 80  # (a line quoted in a hint: longer ones end in …)


def _non_leaf_optimized(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str] | None:
    """The non-leaf tensor given to an optimizer named, with the line that made it (`x = x.to(torch.float16)` on a
    leaf: the hint said only `torch.randn(3, requires_grad=True) * 0.01 is the product`, code the snippet never had).
    None: `name` is not one the graphs know as a non-leaf (the next name listed is tried, then the words for any)."""
    node = seen.node
    lines, line = error.get("lines") or [], (node or {}).get("line")
    if name is None or node is None or node.get("is_leaf") or not isinstance(line, int) or not 0 < line <= len(lines):
        return _NON_LEAF_OPTIMIZED if name is None or node is None else None
    code = lines[line - 1].strip()
    code = code if len(code) <= CODE_QUOTED_CHARS else code[: CODE_QUOTED_CHARS - 1] + "…"
    return (
        f"An optimizer changes its tensors in place, so it takes leaf tensors only, and {name} is the result of an op, "
        f"made on line {line} (`{code}`), not the leaf made with requires_grad=True. Make the leaf in its final form "
        "and give that to the optimizer: (torch.randn(3) * 0.01).requires_grad_(), or nn.Parameter(torch.randn(3) * "
        "0.01).",
        f"옵티마이저는 텐서를 제자리에서 바꾸므로 리프 텐서만 받는데, {name} 텐서는 {line}번 줄(`{code}`)에서 연산으로 "
        "만든 결과이고 requires_grad=True로 만든 리프 텐서가 아닙니다. 리프 텐서를 최종 모양으로 만들어서 옵티마이저에 "
        "주세요: (torch.randn(3) * 0.01).requires_grad_() 또는 nn.Parameter(torch.randn(3) * 0.01).",
    )


_NO_PARAMETERS = (
    "The optimizer got no parameters. A model's layers are found only when they are attributes of the model (self.fc "
    "= nn.Linear(...)) or held in nn.ModuleList / nn.Sequential: a plain Python list hides them. A list filtered on "
    "p.requires_grad is empty when every parameter was frozen (requires_grad=False). Print list(model.parameters()) "
    "to see what it holds.",
    "옵티마이저가 파라미터를 하나도 받지 못했습니다. 모델의 층은 모델의 속성(self.fc = nn.Linear(...))이거나 "
    "nn.ModuleList, nn.Sequential에 담겨 있을 때만 찾아집니다. 파이썬 리스트에 담으면 보이지 않습니다. "
    "p.requires_grad로 거른 리스트라면, 파라미터를 모두 얼렸을 때(requires_grad=False) 비게 됩니다. "
    "list(model.parameters())를 출력해 확인하세요.",
)
_NOT_PROBABILITIES = (
    "binary_cross_entropy takes probabilities between 0 and 1. Apply torch.sigmoid to the model's output first, or, "
    "better, give the raw output to F.binary_cross_entropy_with_logits (nn.BCEWithLogitsLoss), which does both in "
    "one numerically safe step.",
    "binary_cross_entropy는 0과 1 사이의 확률을 받습니다. 먼저 모델의 출력에 torch.sigmoid를 적용하거나, 더 "
    "좋게는 출력을 그대로 F.binary_cross_entropy_with_logits(nn.BCEWithLogitsLoss)에 넘기세요. 두 단계를 수치적으로 "
    "안전하게 한 번에 합니다.",
)
_INPUT_NEEDS_NO_GRAD = (
    "torch.autograd.grad gives gradients with respect to tensors that require grad, and one of its inputs does not. "
    "Create it with requires_grad=True (or call .requires_grad_() on it) before the operations that use it.",
    "torch.autograd.grad는 requires_grad=True인 텐서에 대한 그래디언트만 구하는데, 입력 중 하나가 그렇지 않습니다. "
    "그 텐서를 쓰는 연산보다 먼저 requires_grad=True로 만들거나 .requires_grad_()를 호출하세요.",
)
_EMBEDDING_INDEX = (
    "An index is out of range: an op that looks rows up by index got one past the last row (or a negative one). For "
    "nn.Embedding(num_embeddings, ...) the rows are 0 to num_embeddings - 1: set num_embeddings to the vocabulary's "
    "size, and check the largest index ({x}.max()).",
    "인덱스가 범위를 벗어났습니다. 인덱스로 행을 찾는 연산에 마지막 행보다 큰(또는 음수인) 인덱스가 들어왔습니다. "
    "nn.Embedding(num_embeddings, ...)의 행은 0부터 num_embeddings - 1까지입니다. num_embeddings를 어휘 크기로 "
    "맞추고, 가장 큰 인덱스({x}.max())를 확인하세요.",
)
# The first argument of a call on the failing line (`emb(idx)`, `F.embedding(idx, w)`, `model(tokens)`).
_FIRST_ARGUMENT = (re.compile(r"[\w\])]\s*\(\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*[,)]"),)


def _embedding_index(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    """The index out of range, checked by the name of what the line looked rows up with (it said `x.max()`)."""
    shown = name or "x"
    return _EMBEDDING_INDEX[0].replace("{x}", shown), _EMBEDDING_INDEX[1].replace("{x}", shown)


def _channels(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"to have (\d+) channels, but got (\d+) channels")
    here = f" the layer expects {found[1]} and the input has {found[2]}" if found else ""
    here_ko = f" 층은 {found[1]}개를 기대하는데 입력에는 {found[2]}개가 있습니다" if found else ""
    return (
        "A convolution's in_channels must equal the size of its input's channel axis, the second one (N, C, H, W):"
        f"{here}. A grayscale image has 1 channel, a colour one 3; a single image needs a batch axis "
        "(x.unsqueeze(0)), and an image stored as (H, W, C) needs x.permute(2, 0, 1).",
        f"합성곱 층의 in_channels는 입력의 채널 축, 곧 두 번째 축(N, C, H, W)의 크기와 같아야 합니다:{here_ko}. 흑백 "
        "이미지는 채널이 1개, 컬러 이미지는 3개입니다. 이미지 한 장이라면 배치 축이 필요하고(x.unsqueeze(0)), "
        "(H, W, C)로 저장된 이미지라면 x.permute(2, 0, 1)이 필요합니다.",
    )


def _seed_shape(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(
        error,
        r"grad_output\[\d+\] has a shape of torch\.Size\(\[([\d, ]*)\]\) and output\[\d+\] has a "
        r"shape of torch\.Size\(\[([\d, ]*)\]\)",
    )
    here = f" Here it is ({found[1]}) and the output is ({found[2]})." if found else ""
    here_ko = f" 여기서는 넘긴 값이 ({found[1]}), 출력이 ({found[2]})입니다." if found else ""
    return (
        "The gradient given to backward(gradient=...) (or to autograd.grad's grad_outputs) says how much each entry "
        "of the output matters, so it must have the output's shape." + here + " torch.ones_like(out) gives every "
        "entry weight 1, as out.sum().backward() does.",
        "backward(gradient=...)(또는 autograd.grad의 grad_outputs)에 넘기는 그래디언트는 출력의 원소마다 얼마나 "
        "중요한지를 나타내므로, 출력과 모양이 같아야 합니다." + here_ko + " torch.ones_like(out)을 넘기면 모든 원소의 "
        "가중치가 1이 되어 out.sum().backward()와 같습니다.",
    )


def _custom_grad_shape(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(
        error,
        r"Function (\w+) returned an invalid gradient at index (\d+) - got \[([\d, ]*)\] but "
        r"expected shape compatible with \[([\d, ]*)\]",
    )
    if found is None:
        return (
            "A custom autograd.Function's backward must return, for each input, a gradient of that input's shape.",
            "사용자 정의 autograd.Function의 backward는 입력마다 그 입력과 모양이 같은 그래디언트를 돌려줘야 합니다.",
        )
    return (
        f"A custom autograd.Function's backward must return, for each input, a gradient of that input's shape: "
        f"{found[1]} returned [{found[3]}] for input {found[2]}, whose shape is [{found[4]}]. An output that summed "
        "or reduced its input needs its gradient spread back (grad.expand(shape) for a sum); save the input's shape "
        "in forward (ctx.shape = x.shape) to use it in backward.",
        f"사용자 정의 autograd.Function의 backward는 입력마다 그 입력과 모양이 같은 그래디언트를 돌려줘야 합니다. "
        f"{fill_korean_format('{0}이', [found[1]])} {found[2]}번 입력(모양 [{found[4]}])에 [{found[3]}] 모양을 "
        "돌려주었습니다. 입력을 합하거나 "
        "줄인 출력이라면 그래디언트를 다시 펼쳐야 합니다(합이라면 grad.expand(shape)). forward에서 입력의 모양을 "
        "저장해 두면(ctx.shape = x.shape) backward에서 쓸 수 있습니다.",
    )


_GRADCHECK = (
    "gradcheck compared the gradients your backward computes (analytical) with ones it measured by nudging each input "
    "a little (numerical), and they differ: the backward formula is wrong for some entry. Look for a missing factor "
    "of the chain rule (grad times the local derivative), a sign, or a power rule's exponent; the backward graph "
    "shows what each node sent, with its numbers.",
    "gradcheck가 backward가 계산한 그래디언트(analytical)와, 입력을 조금씩 바꿔 가며 잰 그래디언트(numerical)를 "
    "비교했는데 서로 다릅니다. 어떤 원소에서 backward의 공식이 틀렸다는 뜻입니다. 연쇄 법칙의 빠진 곱(grad와 국소 "
    "미분의 곱), 부호, 거듭제곱의 지수를 확인하세요. 역전파 그래프에서 각 노드가 보낸 값을 숫자로 볼 수 있습니다.",
)
_LEGACY_FUNCTION = (
    "This autograd.Function is written the old way: an instance called like a function, with forward(self, x). "
    "Write forward and backward as @staticmethod with ctx as their first argument (forward(ctx, x), backward(ctx, "
    "grad)), and call it with MyFunction.apply(x), never MyFunction()(x).",
    "이 autograd.Function은 예전 방식으로 쓰였습니다(인스턴스를 함수처럼 호출하고 forward(self, x)로 정의). forward와 "
    "backward를 첫 인자가 ctx인 @staticmethod로 쓰고(forward(ctx, x), backward(ctx, grad)), MyFunction()(x)가 "
    "아니라 MyFunction.apply(x)로 호출하세요.",
)


def _number_backward(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str] | None:
    if _found(error, r"^'(float|int)' object has no attribute 'backward'") is None:
        return None  # (a list, a tuple, None: no number taken out of a tensor)
    y, y_ko = (name, name) if name else ("This value", "이 값")  # (no `loss 텐서`: it is none)
    return (
        f"{y} is a Python number, not a tensor: .item() (or float()) took the value out of the graph, and a number "
        "has no backward(). Keep the tensor for backward (loss.backward()), and call .item() only to print or log it.",
        f"{y_ko}는 텐서가 아니라 파이썬 숫자입니다. .item()(또는 float())이 값만 꺼내서 그래프와 떨어졌고, 숫자에는 "
        "backward()가 없습니다. 역전파에는 텐서를 그대로 쓰고(loss.backward()), .item()은 출력하거나 기록할 때만 "
        "쓰세요.",
    )


Hint = Callable[[dict[str, Any], "str | None", Seen], "tuple[str, str] | None"]  # (None: no hint after all)


# (how the error is recognised: its type, or a part of its message; the tensor its line names; the hint, or its text
# when it says the same whatever the error)
def _target_shape(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"[Tt]arget size \(torch.Size\((\[[^\]]*\])\)\).*?input size \(torch.Size\((\[[^\]]*\])\)\)")
    here = f" here the target is {found[1]} and the prediction {found[2]}" if found else ""
    here_ko = f" 지금은 정답이 {found[1]}, 예측이 {found[2]}입니다" if found else ""
    return (
        f"Binary cross-entropy compares each prediction with its own target, so both must have one shape:{here}. A "
        "model ending in nn.Linear(..., 1) gives [N, 1]: use target.view(-1, 1) (or target.unsqueeze(1)), or "
        "out.squeeze(1).",
        f"이진 교차 엔트로피는 예측 하나하나를 자기 정답과 비교하므로 둘의 모양이 같아야 합니다.{here_ko}. "
        "nn.Linear(..., 1)로 끝나는 모델은 [N, 1]을 내므로 target.view(-1, 1)(또는 target.unsqueeze(1))이나 "
        "out.squeeze(1)을 쓰세요.",
    )


_FLOAT_TARGET = (
    "This loss computes with the target's dtype and cannot write a fractional result into integers: a target of 0s "
    "and 1s made with torch.tensor([0, 1]) is torch.long. Give it floats: target.float() (or write 0.0 and 1.0).",
    "이 손실 함수는 정답의 dtype으로 계산하는데, 소수가 나오는 결과를 정수에 담을 수 없습니다. torch.tensor([0, 1])로 "
    "만든 0과 1의 정답은 torch.long입니다. target.float()로 실수로 바꾸거나 0.0, 1.0으로 쓰세요.",
)


_LOSS_CALL = re.compile(r"loss|criterion|binary_cross_entropy|cross_entropy|nll|mse|l1_|huber|kl_div", re.IGNORECASE)
_INPLACE_INTEGER = (
    "An in-place operation writes its result into the tensor itself, in the tensor's dtype, and an integer tensor "
    "(torch.arange(3), torch.tensor([1, 2]): torch.long) cannot hold a fractional result. Make it a float tensor "
    "first (x = x.float(), or torch.arange(3.0)), or use the out-of-place form, which makes a new tensor "
    "(x = x + 0.5).",
    "제자리 연산은 결과를 그 텐서의 dtype으로 텐서 자신에 써 넣는데, 정수 텐서(torch.arange(3), torch.tensor([1, 2])는 "
    "torch.long입니다)에는 소수 결과를 담을 수 없습니다. 먼저 실수 텐서로 바꾸거나(x = x.float(), 또는 "
    "torch.arange(3.0)), 새 텐서를 만드는 제자리가 아닌 형태(x = x + 0.5)를 쓰세요.",
)


_INPLACE_OP = re.compile(r"(?:[-+*/%]|//|\*\*)=(?!=)|\.\s*[a-z][a-z0-9]*_\s*\(")


def _float_target(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str]:
    """A float result cast to Long: an in-place op on an integer tensor (`x += 0.5`), else a loss's integer target."""
    line = error.get("line_text") or ""
    return _INPLACE_INTEGER if _INPLACE_OP.search(line) and not _LOSS_CALL.search(line) else _FLOAT_TARGET


def _input_weight_dtypes(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    return None if "cuda" in (error.get("message") or "") else _INPUT_WEIGHT_DTYPES


def _sequence_target(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str]:
    """cross_entropy of a sequence's scores laid out (N, T, C), where it takes the classes on axis 1."""
    found = _found(error, r"Expected target size \[([\d, ]+)\], got \[([\d, ]+)\]")
    here = f" (it read the target's shape as [{found[1]}], and got [{found[2]}])" if found else ""
    here_ko = f"(정답 모양을 [{found[1]}]로 기대했는데 [{found[2]}]를 받았습니다)" if found else ""
    return (
        "cross_entropy takes the class scores on axis 1: (N, C) for one label per example, (N, C, T) for a label per "
        f"step of a sequence{here}. Scores laid out (N, T, C), as a sequence model or a transformer gives them, need "
        "logits.transpose(1, 2), or both flattened: F.cross_entropy(logits.reshape(-1, C), target.reshape(-1)).",
        "cross_entropy는 클래스 점수를 1번 축에서 읽습니다. 예제마다 레이블이 하나면 (N, C), 시퀀스의 단계마다 하나면 "
        f"(N, C, T)입니다{here_ko}. 시퀀스 모델이나 트랜스포머가 내는 (N, T, C) 모양의 점수는 "
        "logits.transpose(1, 2)로 바꾸거나, 둘 다 펴서 넘기세요: F.cross_entropy(logits.reshape(-1, C), "
        "target.reshape(-1)).",
    )


def _inplace_broadcast(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"output with shape \[([\d, ]*)\] doesn't match the broadcast shape \[([\d, ]*)\]")
    here = f" of shape [{found[1]}] cannot hold a result of shape [{found[2]}]" if found else " cannot grow"
    here_ko = f" 모양이 [{found[1]}]인 텐서에는 모양이 [{found[2]}]인 결과를 담을 수 없습니다" if found else ""
    return (
        f"An in-place operation (x += y, x.add_(y)) writes its result into x itself, so x keeps its shape: x{here}. "
        "Broadcasting may stretch y to x's shape, never x to y's. Use the out-of-place form, which makes a new "
        "tensor (x = x + y), or check the shapes (print(x.shape, y.shape)).",
        f"제자리 연산(x += y, x.add_(y))은 결과를 x 자신에 써 넣으므로 x의 모양은 바뀌지 않습니다:{here_ko}. "
        "브로드캐스팅은 y를 x의 모양으로 늘릴 수는 있어도 x를 y의 모양으로 늘리지는 않습니다. 새 텐서를 만드는 "
        "x = x + y를 쓰거나, 두 모양을 확인하세요(print(x.shape, y.shape)).",
    )


_INPUT_WEIGHT_DTYPES = (
    "The input's dtype is not the layer's: a layer's weights are float32, and data made by NumPy is float64 "
    "(torch.from_numpy keeps it: torch.float64, 'double'). Convert the input: x.float() (or "
    "torch.as_tensor(array, dtype=torch.float32)); model.double() converts the model instead.",
    "입력의 dtype이 층과 다릅니다. 층의 가중치는 float32인데, NumPy로 만든 데이터는 float64이고 torch.from_numpy는 "
    "그대로 가져옵니다(torch.float64, 'double'). 입력을 바꾸세요: x.float()(또는 torch.as_tensor(array, "
    "dtype=torch.float32)). model.double()은 반대로 모델을 바꿉니다.",
)
_NUMPY_INPUT = (
    "Modules and torch functions take tensors, not NumPy arrays. Convert it first: torch.from_numpy(array).float(), "
    "or torch.as_tensor(array, dtype=torch.float32) (a layer's weights are float32, NumPy's default float64).",
    "모듈과 torch 함수는 NumPy 배열이 아니라 텐서를 받습니다. 먼저 바꾸세요: torch.from_numpy(array).float(), 또는 "
    "torch.as_tensor(array, dtype=torch.float32)(층의 가중치는 float32이고, NumPy의 기본값은 float64입니다).",
)
_HOOK_AND_INPLACE = (
    "A module's full backward hook (register_full_backward_hook) wraps the module's outputs, and a later in-place "
    "operation changed one of them (nn.ReLU(inplace=True), F.relu(x, inplace=True), x += ...), which the hook cannot "
    "allow. Turn the in-place operations after the hooked module off (nn.ReLU(inplace=False); for a model, set "
    "m.inplace = False on every module that has it), or hook the output tensor itself (out.register_hook).",
    "모듈의 full backward 훅(register_full_backward_hook)은 모듈의 출력을 감싸는데, 그 뒤의 제자리 연산"
    "(nn.ReLU(inplace=True), F.relu(x, inplace=True), x += ...)이 그 출력을 바꾸어서 훅이 허용하지 않습니다. 훅을 건 "
    "모듈 뒤의 제자리 연산을 끄거나(nn.ReLU(inplace=False). 모델이라면 inplace 속성이 있는 모든 모듈에 "
    "m.inplace = False), 출력 텐서 자체에 훅을 거세요(out.register_hook).",
)
_SHARED_MEMORY_WRITE = (
    "This tensor's entries share memory: .expand() (and broadcasting views) repeat one value without copying it, so "
    "an in-place write would change all its copies at once. Write into a copy: x = x.clone() (or use .repeat(), "
    "which copies), or use the out-of-place form (x = x + 1).",
    "이 텐서의 원소들은 메모리를 함께 씁니다. .expand()(와 브로드캐스팅 뷰)는 값 하나를 복사하지 않고 되풀이하므로, "
    "제자리에 쓰면 그 복사본이 한꺼번에 바뀝니다. 복사본에 쓰세요: x = x.clone()(또는 복사하는 .repeat()), 아니면 "
    "제자리가 아닌 형태(x = x + 1)를 쓰세요.",
)
_COMPLEX_LOSS = (
    "backward() starts from a real number: a loss is minimized, and complex numbers have no order. Make the loss "
    "real: the squared magnitude (z.abs() ** 2).sum(), z.real or z.imag, or torch.view_as_real(z). (To start from a "
    "complex output, pass its gradient: z.backward(torch.ones_like(z)).)",
    "backward()는 실수에서 시작합니다. 손실은 최소화하는 값인데 복소수에는 크기 순서가 없습니다. 손실을 실수로 "
    "만드세요: 크기의 제곱 (z.abs() ** 2).sum(), z.real이나 z.imag, 또는 torch.view_as_real(z). (복소수 출력에서 "
    "시작하려면 그래디언트를 넘기세요: z.backward(torch.ones_like(z)).)",
)
_INTEGER_KERNEL = (
    "This operation computes with fractions, and the tensor holds integers (torch.long or torch.int: "
    "torch.tensor([1, 2, 3]) and torch.arange(3) make them). Make it a float tensor first: x.float() (or write "
    "torch.tensor([1.0, 2.0, 3.0]), torch.arange(3.0)).",
    "이 연산은 소수로 계산하는데, 텐서에는 정수가 들어 있습니다(torch.tensor([1, 2, 3])와 torch.arange(3)은 "
    "torch.long입니다). 먼저 실수 텐서로 바꾸세요: x.float()(또는 torch.tensor([1.0, 2.0, 3.0]), "
    "torch.arange(3.0)).",
)


# names a snippet uses without importing them, and the line that imports each (torch, nn and F come imported)
IMPORTS = {
    "np": "import numpy as np",
    "numpy": "import numpy",
    "plt": "import matplotlib.pyplot as plt",
    "optim": "import torch.optim as optim",
    "math": "import math",
    "random": "import random",
    "Variable": "from torch.autograd import Variable",
    "Function": "from torch.autograd import Function",
    "DataLoader": "from torch.utils.data import DataLoader",
    "TensorDataset": "from torch.utils.data import TensorDataset",
}


def _name_error(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str] | None:
    found = _found(error, r"name '(\w+)' is not defined")
    if found is None:
        return None
    missing = found[1]
    if missing in IMPORTS:
        line = IMPORTS[missing]
        return (
            f"{missing} is used without being imported: gradwalk imports only torch, torch.nn as nn and "
            f"torch.nn.functional as F for you. Add `{line}` at the top.",
            fill_korean_format("{0}를 import하지 않고 썼습니다. ", [missing])
            + f"gradwalk는 torch, torch.nn as nn, torch.nn.functional as F만 미리 import합니다. 맨 위에 `{line}` 줄을 "
            "추가하세요.",
        )
    names = set(re.findall(r"[A-Za-z_]\w*", "\n".join(error.get("lines") or ()))) - {missing}
    said = re.search(r"Did you mean: '(\w+)'\?", error.get("message") or "")  # (Python's own guess: `X` for `x`)
    same = sorted(n for n in names if n.lower() == missing.lower())  # (capitals alone: difflib finds no `X` for `x`)
    close = [said[1]] if said else same[:1] or difflib.get_close_matches(missing, sorted(names), n=1, cutoff=0.75)
    if close:
        return (
            f"No name {missing} was bound before this line: did you mean {close[0]}? Python reads names exactly as "
            "written, capitals and all.",
            f"이 줄 전에는 {missing}에 아무 값도 넣지 않았습니다. "
            + fill_korean_format("{0}를 쓰려던 것인가요? ", [close[0]])
            + "파이썬은 대소문자까지 쓴 그대로 이름을 읽습니다.",
        )
    return (
        f"No name {missing} was bound before this line. A name exists once a line assigns it (x = ...), imports it "
        "or defines it (def, class), and that line must run first: a name made inside a function is not seen "
        "outside it.",
        f"이 줄 전에는 {missing}에 아무 값도 넣지 않았습니다. 이름은 대입(x = ...), import, 정의(def, class)를 하는 "
        "줄이 먼저 실행되어야 생깁니다. 함수 안에서 만든 이름은 함수 밖에서 보이지 않습니다.",
    )


_ONE_PER_CHANNEL = (
    "Batch normalization in training mode normalizes each channel by the batch's mean and spread, and one value per "
    "channel has no spread. This is usually a last batch of one example (drop it: DataLoader(..., "
    "drop_last=True)) or a single example run through a model still in training mode: call model.eval() before "
    "predicting (it uses the running statistics), and model.train() before training again.",
    "학습 모드의 배치 정규화는 채널마다 배치의 평균과 퍼짐으로 정규화하는데, 채널마다 값이 하나뿐이면 퍼짐이 "
    "없습니다. 보통은 예제가 하나뿐인 마지막 배치이거나(버리세요: DataLoader(..., drop_last=True)), 학습 모드 그대로인 "
    "모델에 예제 하나를 넣은 경우입니다. 예측하기 전에 model.eval()을 부르고(누적 통계를 씁니다), 다시 학습할 때 "
    "model.train()을 부르세요.",
)
_INDICES_NOT_INTEGERS = (
    "Indices must be integers (torch.long), or a bool mask: indices computed with floats (a division, torch.rand, "
    "data read as float) are not. Convert them: idx.long() (round first if they may not be whole: idx.round().long()).",
    "인덱스는 정수(torch.long)이거나 bool 마스크여야 합니다. 실수로 계산한 인덱스(나눗셈, torch.rand, 실수로 읽은 "
    "데이터)는 쓸 수 없습니다. 바꾸세요: idx.long()(정수가 아닐 수 있다면 먼저 반올림: idx.round().long()).",
)
_ONE_TENSOR_AS_PARAMS = (
    "An optimizer takes an iterable of tensors (or of parameter groups, dicts): a single tensor must be put in a "
    "list, torch.optim.SGD([w], lr=0.1), and a model's are model.parameters().",
    "옵티마이저는 텐서들을 담은 반복 가능한 객체(또는 파라미터 그룹 dict들)를 받습니다. 텐서 하나라면 리스트에 넣고"
    "(torch.optim.SGD([w], lr=0.1)), 모델이라면 model.parameters()를 넘기세요.",
)
_NOT_ITERABLE_CALL = re.compile(r"optim\.|clip_grad|parameters_to_vector|\.parameters\b")


def _not_iterable(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """A module, or the parameters method not called, given where an iterable of tensors goes: an optimizer,
    clip_grad_norm_."""
    message, line = error.get("message") or "", error.get("line_text") or ""
    if not _NOT_ITERABLE_CALL.search(line):
        return None
    if "'method' object is not iterable" in message and re.search(r"\.parameters\s*(?!\s*\()", line):
        return (
            "model.parameters is a method: call it, model.parameters(), to get the parameters (an optimizer and "
            "clip_grad_norm_ take what it returns).",
            "model.parameters는 메서드입니다. 파라미터를 얻으려면 model.parameters()처럼 호출하세요(옵티마이저와 "
            "clip_grad_norm_은 그 결과를 받습니다).",
        )
    module = re.match(r"'(\w+)' object is not iterable", message)
    if module is None or module[1] in ("int", "float", "NoneType", "method", "function", "Tensor"):
        return None
    return (
        f"A model ({module[1]}) was given where its parameters go: an optimizer and clip_grad_norm_ take "
        "model.parameters(), not the model itself.",
        f"파라미터를 넘겨야 할 자리에 모델({module[1]})을 넘겼습니다. 옵티마이저와 clip_grad_norm_은 모델 자체가 "
        "아니라 model.parameters()를 받습니다.",
    )


def _no_attribute(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """A Tensor asked for what modules and optimizers have (zero_grad, parameters, train, eval)."""
    found = _found(error, r"'Tensor' object has no attribute '(zero_grad|parameters|train|eval|step)'")
    if not found:
        return None
    if found[1] == "zero_grad":
        return (
            "zero_grad() belongs to optimizers and modules (optimizer.zero_grad(), model.zero_grad()). A tensor's "
            "gradient is cleared by hand: w.grad = None (or w.grad.zero_()).",
            "zero_grad()는 옵티마이저와 모듈의 메서드입니다(optimizer.zero_grad(), model.zero_grad()). 텐서의 "
            "그래디언트는 직접 지웁니다: w.grad = None(또는 w.grad.zero_()).",
        )
    return (
        f".{found[1]}() belongs to modules (and .step() to optimizers), and this is a tensor: a name that held the "
        "model may now hold its output (model = model(x)).",
        f".{found[1]}()는 모듈의 메서드이고(.step()은 옵티마이저의 메서드), 이것은 텐서입니다. 모델을 담던 이름에 "
        "모델의 출력을 다시 담았을 수 있습니다(model = model(x)).",
    )


def _property_hidden(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """`'Model' object has no attribute 'scale'` where the snippet defines `scale` as a property: an AttributeError
    raised inside the property's code sends Python to nn.Module.__getattr__, which reports the property itself as
    missing and hides the real error."""
    found = _found(error, r"^'(\w+)' object has no attribute '(\w+)'")
    if found is None:
        return None
    owner, attribute = found[1], found[2]
    lines = error.get("lines") or []
    defined = [
        i
        for i, text in enumerate(lines)
        if re.match(rf"\s*def {re.escape(attribute)}\(self\b", text)
        and any(
            re.match(r"\s*@(?:functools\.)?(?:property|cached_property)\b", lines[j]) for j in range(max(0, i - 3), i)
        )
    ]
    if not defined:
        return None
    where = defined[0] + 1
    return (
        f"{owner} does have {attribute}: it is a property (line {where}), and an AttributeError raised inside its "
        "code (a misspelled or missing self.something) makes Python fall back to nn.Module.__getattr__, which then "
        f"reports {attribute} itself as missing. Look for the real error inside the property: call its code directly "
        f"({owner}.{attribute}.fget(obj)), or have it raise another exception type.",
        fill_korean_format("{0}에는 {1}가 있습니다. ", [owner, attribute])
        + f"{where}번 줄의 프로퍼티(property)입니다. 그 코드 안에서 AttributeError"
        "가 나면(철자가 틀렸거나 없는 self.속성) 파이썬이 nn.Module.__getattr__로 넘어가고, 그것이 "
        f"{attribute} 자체가 없다고 알립니다. 진짜 오류는 프로퍼티 안에 있습니다. 그 코드를 직접 부르거나"
        f"({owner}.{attribute}.fget(obj)), 다른 종류의 예외를 내게 하세요.",
    )


def _found_dtype(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """ "Found dtype Long but expected Float": a loss (BCELoss, binary_cross_entropy) given integer labels as target."""
    found = _found(error, r"Found dtype (\w+) but expected (\w+)")
    if found is None or not re.search(r"loss|criterion|bce|backward", error.get("line_text") or "", re.IGNORECASE):
        return None
    got, wanted = found[1], found[2]
    cast = {"Float": "float()", "Double": "double()", "Half": "half()", "BFloat16": "bfloat16()"}.get(wanted)
    convert = f"target.{cast}" if cast else "target.to(input.dtype)"
    needs = fill_korean_format(
        "손실 함수는 정답(target)이 입력과 같은 dtype({0})이어야 하는데 {1}을 받았습니다. ", [wanted, got]
    )
    if got not in INTEGER_DTYPES:  # (a target of floats in another precision: NumPy's float64, most often)
        return (
            f"The loss needs its target in the input's dtype ({wanted}), and it got {got}: a tensor keeps the dtype "
            f"it was made with (one made from a NumPy array of floats is float64, Double). Convert the target: "
            f"{convert}.",
            needs + "텐서는 만들 때의 dtype을 그대로 가집니다(실수로 된 NumPy 배열에서 만든 텐서는 float64, 곧 "
            f"Double입니다). 정답을 바꾸세요({convert}).",
        )
    return (
        f"The loss needs its target in the input's dtype ({wanted}), and it got {got}: labels written as "
        f"torch.tensor([0, 1]) are integers (torch.long). Convert the target: {convert}, or write the labels as 0.0 "
        "and 1.0.",
        needs
        + f"torch.tensor([0, 1])처럼 쓴 레이블은 정수(torch.long)입니다. 정답을 바꾸거나({convert}) 레이블을 0.0과 "
        "1.0으로 쓰세요.",
    )


INTEGER_DTYPES = frozenset({"Long", "Int", "Short", "Byte", "Char", "Bool"})  # (as torch's messages name them)


_LSTM_CALL = re.compile(r"=\s*[\w.]*lstm\w*\(", re.IGNORECASE)


def _lstm_unpacked(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """`out, h, c = lstm(x)`: nn.LSTM returns two things, the output and the pair (h_n, c_n)."""
    if _found(error, r"not enough values to unpack \(expected 3, got 2\)") is None:
        return None
    if _LSTM_CALL.search(error.get("line_text") or "") is None:
        return None
    return (
        "nn.LSTM returns two values, the output and the pair of final states: out, (h_n, c_n) = lstm(x). Unpack "
        "the states inside brackets (nn.GRU and nn.RNN return out, h_n).",
        "nn.LSTM은 값 두 개, 곧 출력과 마지막 상태의 쌍을 돌려줍니다: out, (h_n, c_n) = lstm(x). 상태는 괄호 안에서 "
        "풀어 받으세요(nn.GRU와 nn.RNN은 out, h_n을 돌려줍니다).",
    )


def _values_and_indices(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """A `torch.return_types.max` (what x.max(dim=1), sort, topk... return) used as if it were a tensor."""
    found = _found(error, r"torch\.return_types\.(\w+)")
    if found is None:
        return None
    op = found[1]
    fields = getattr(getattr(torch.return_types, op, None), "__match_args__", ("values", "indices"))
    if tuple(fields) != ("values", "indices"):  # (torch.linalg.eigh's (eigenvalues, eigenvectors), svd's (U, S, V)...)
        call, names = f"torch.{op.replace('linalg_', 'linalg.', 1)}", ", ".join(fields)
        return (
            f"{call}(...) returns a named tuple ({names}), not a tensor. Take the part you need: result.{fields[0]} "
            f"(or {names} = {call}(...)).",
            f"{call}(...)는 텐서가 아니라 이름 붙은 튜플({names})을 돌려줍니다. 필요한 부분을 꺼내 쓰세요: "
            f"result.{fields[0]}(또는 {names} = {call}(...)).",
        )
    pair = "(values, indices)"
    return (
        f"{op}(...) with a dim returns {pair}, not a tensor. Take the part you need: result.values (or "
        f"values, indices = x.{op}(dim=1), or x.{op}(dim=1)[0]); without a dim, x.{op}() is a tensor.",
        f"dim을 준 {op}(...)는 텐서가 아니라 {pair}를 돌려줍니다. 필요한 부분을 꺼내 쓰세요: result.values"
        f"(또는 values, indices = x.{op}(dim=1), 또는 x.{op}(dim=1)[0]). dim 없이 부른 x.{op}()는 텐서입니다.",
    )


def _compared_whole(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """`(predicted == labels).sum()` where `predicted` is no tensor (x.max(dim=1)'s pair, a list): == compared the
    two objects whole and gave one Python bool."""
    if _found(error, r"^'bool' object has no attribute '(\w+)'") is None or "==" not in (error.get("line_text") or ""):
        return None
    return (
        "The == on this line gave one Python bool, not a tensor of True/False: one side is not a tensor, so Python "
        "compared the two objects whole. x.max(dim=1) is a (values, indices) pair: for the predicted classes take "
        "x.argmax(dim=1) (or x.max(dim=1).indices); a list needs torch.tensor(...) first.",
        "이 줄의 ==는 True/False 텐서가 아니라 파이썬 bool 하나를 냈습니다. 한쪽이 텐서가 아니어서 파이썬이 두 객체를 "
        "통째로 비교했기 때문입니다. x.max(dim=1)은 (values, indices) 쌍이므로, 예측한 클래스는 x.argmax(dim=1)"
        "(또는 x.max(dim=1).indices)로 구하세요. 리스트라면 먼저 torch.tensor(...)로 바꾸세요.",
    )


def _target_out_of_bounds(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"Target (-?\d+) is out of bounds")
    label = found[1] if found else "A label"
    if found and int(found[1]) < 0:
        return (
            f"Target {label} is negative: cross_entropy and nll_loss take class indices 0 to C - 1 (a label to leave "
            "out is skipped only when it equals ignore_index, -100 by default). Map the labels to 0 ... C - 1.",
            fill_korean_format("정답 {0}이 음수입니다. ", [label])
            + "cross_entropy와 nll_loss는 0부터 C - 1까지의 클래스 번호를 받습니다(빼고 싶은 "
            "레이블은 ignore_index와 같을 때만 건너뜁니다. 기본값은 -100). 레이블을 0 ... C - 1로 바꾸세요.",
        )
    return (
        f"Target {label} is no class of the scores: cross_entropy and nll_loss take class indices 0 to C - 1, C being "
        "the size of the scores' axis 1 (the last layer's out_features). Make the last layer as wide as the number "
        "of classes (labels 0 to 9 need 10 outputs), and labels counted from 1 need target - 1.",
        fill_korean_format("정답 {0}은 점수에 없는 클래스입니다. ", [label])
        + "cross_entropy와 nll_loss는 0부터 C - 1까지의 클래스 번호를 "
        "받고, C는 점수의 1번 축 크기(마지막 층의 out_features)입니다. "
        "마지막 층의 출력을 클래스 수만큼 두고(레이블 0~9에는 출력 10개), 1부터 센 레이블이라면 target - 1을 쓰세요.",
    )


def _batched_product(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"batch2 tensor to be: \[(\d+), (\d+)\] but got: \[(\d+), (\d+)\]")
    here = (
        f" here the second holds {found[3]} matrices of {found[4]} rows where {found[1]} of {found[2]} were needed"
        if found
        else ""
    )
    here_ko = (
        f" 여기서는 둘째 텐서가 행 {found[4]}개짜리 행렬 {found[3]}개인데, "
        f"행 {found[2]}개짜리 {found[1]}개가 필요합니다"
        if found
        else ""
    )
    return (
        "A batched matrix product (torch.bmm, @ of 3-D tensors) multiplies matrix by matrix: (B, n, m) @ (B, m, p) "
        f"needs the same batch B and the first's columns m equal to the second's rows;{here}. Print both shapes; "
        "a missing .transpose(1, 2) is the usual cause (attention's q @ k.transpose(-2, -1)).",
        "배치 행렬 곱(torch.bmm, 3차원 텐서의 @)은 행렬끼리 곱합니다. (B, n, m) @ (B, m, p)는 배치 B가 같고 첫째의 열 "
        f"수 m이 둘째의 행 수와 같아야 합니다.{here_ko}. 두 모양을 출력해 보세요. 흔한 원인은 빠뜨린 .transpose(1, 2)"
        "입니다(어텐션의 q @ k.transpose(-2, -1)).",
    )


_DEEPCOPY_NON_LEAF = (
    "copy.deepcopy copies only tensors no graph made, and the object holds one an op made while autograd recorded: "
    "a module that keeps an output of its forward (self.cache = out, attention weights), or an old-style weight_norm. "
    "Store such a tensor detached (self.cache = out.detach()), or copy the model's state_dict instead.",
    "copy.deepcopy는 그래프가 만들지 않은 텐서만 복사할 수 있는데, 이 객체에는 autograd가 기록하는 동안 연산이 만든 "
    "텐서가 들어 있습니다. forward의 출력을 담아 두는 모듈(self.cache = out, 어텐션 가중치)이나 옛 weight_norm이 "
    "그렇습니다. 그런 텐서는 떼어 내서 담거나(self.cache = out.detach()), 대신 모델의 state_dict를 복사하세요.",
)
_PRUNE_CALLED = re.compile(r"^[^#]*\bprune\.\w+\(")


def _deepcopy_pruned(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """`copy.deepcopy(net)` of a model torch.nn.utils.prune pruned: the module's `weight` is weight_orig * weight_mask,
    which its forward pre-hook computed while autograd recorded. The general hint spoke of a forward's cached output
    and weight_norm only, and offered the state_dict, which loads into a model pruned the same way only."""
    if not any(_PRUNE_CALLED.search(text) for text in error.get("lines") or ()):
        return None
    return (
        "copy.deepcopy copies only tensors no graph made, and a pruned module holds one: torch.nn.utils.prune "
        "keeps its weight as weight_orig * weight_mask, computed by an op while autograd recorded (and by a forward "
        "pre-hook at each call). Copy the model before pruning it, make the pruning permanent first "
        '(prune.remove(module, "weight")), or load its state_dict (weight_orig and weight_mask) into a model pruned '
        "the same way.",
        "copy.deepcopy는 그래프가 만들지 않은 텐서만 복사할 수 있는데, 가지치기한 모듈에는 연산이 만든 텐서가 "
        "들어 있습니다. torch.nn.utils.prune은 weight를 weight_orig * weight_mask로 두는데, 이 값은 autograd가 "
        "기록하는 동안 연산이 계산한 것입니다(호출할 때마다 forward pre-hook이 다시 계산합니다). 가지치기 전에 "
        '모델을 복사하거나, 먼저 가지치기를 확정하거나(prune.remove(module, "weight")), state_dict(weight_orig와 '
        "weight_mask)를 같은 방식으로 가지치기한 모델에 불러오세요.",
    )


_MULTIPLE_VIEWS_INPLACE = (
    "unbind, split and chunk return views of one tensor, and PyTorch cannot track an in-place change to one of them "
    "for backward. Use the out-of-place form (a = a * 2), or change a copy (a = a.clone(); a.mul_(2)).",
    "unbind, split, chunk는 한 텐서의 뷰들을 돌려주는데, 그중 하나를 제자리에서 바꾸면 PyTorch가 역전파를 위해 "
    "추적할 수 없습니다. 제자리가 아닌 형태(a = a * 2)를 쓰거나, 복사본을 바꾸세요(a = a.clone(); a.mul_(2)).",
)
_GRAD_MODE_CALL = re.compile(r"\bwith\s+(?:torch\.)?(?:autograd\.)?(no_grad|enable_grad|inference_mode)\b(?!\s*\()")


def _context_not_called(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    found = _GRAD_MODE_CALL.search(error.get("line_text") or "")
    if found is None:
        return None
    return (
        f"torch.{found[1]} is a class: call it to get the context manager, `with torch.{found[1]}():`.",
        fill_korean_format("torch.{0}은 클래스입니다. ", [found[1]])
        + f"호출해서 컨텍스트 관리자를 만드세요: `with torch.{found[1]}():`.",
    )


_LOSS_CLASS_BOUND = re.compile(r"^\s*(\w+)\s*=\s*(?:torch\.)?nn\.(\w*Loss)\s*(?:#.*)?$")
_LOSS_CLASS_CALLED = re.compile(r"\b(?:torch\.)?nn\.(\w*Loss)\(\s*[^)\s]")


def _loss_class_called(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """`criterion = nn.CrossEntropyLoss` (no brackets), then `criterion(outputs, targets)`, or `nn.MSELoss(pred, y)`:
    the tensors went to the loss class's constructor as its settings (weight, size_average, reduce), which it tests
    with `if`. Said only where the failing line calls such a class; any other ambiguous bool gets the general hint."""
    line_text = error.get("line_text") or ""
    called = _LOSS_CLASS_CALLED.search(line_text)
    if called is not None:
        loss, call = called[1], f"nn.{called[1]}(...)"
    else:
        bound = [found for text in error.get("lines") or () if (found := _LOSS_CLASS_BOUND.match(text))]
        used = [found for found in bound if re.search(rf"(?<![\w.]){re.escape(found[1])}\(", line_text)]
        if not used:
            return None
        loss, call = used[-1][2], f"{used[-1][1]}(...)"
    return (
        f"nn.{loss} is a class, not a loss value: {call} built a new loss module and handed your tensors to its "
        "constructor as its settings (weight, size_average, reduce), and testing those with if failed. Make the loss "
        f"once with brackets, criterion = nn.{loss}(), then call it on the tensors: loss = criterion(outputs, "
        "targets).",
        fill_korean_format("nn.{0}은 손실 값이 아니라 클래스입니다. ", [loss])
        + fill_korean_format(
            "{0}는 새 손실 모듈을 만들면서 텐서들을 생성자의 설정값(weight, size_average, reduce)으로 넘겼고, 그 값을 "
            "if로 검사하다가 오류가 났습니다. ",
            [call],
        )
        + f"손실 함수는 먼저 괄호를 붙여 한 번 만들고(criterion = nn.{loss}()), 그다음 텐서를 넣어 부르세요"
        "(loss = criterion(outputs, targets)).",
    )


def _no_rsample(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """`dist.rsample()` on a distribution without a reparameterized sample: torch raises a bare NotImplementedError."""
    if ".rsample(" not in (error.get("line_text") or ""):
        return None
    return (
        "This distribution has no reparameterized sample (its has_rsample is False: Categorical, Bernoulli, Poisson, "
        "MixtureSameFamily...), so rsample() raises NotImplementedError. Draw with sample() where no gradient must go "
        "through the draw; for one that must, use the score function (REINFORCE: loss = -(dist.log_prob(sample) * "
        "reward).mean()) or a relaxed distribution (RelaxedOneHotCategorical, F.gumbel_softmax).",
        "이 분포에는 재매개변수화된 샘플이 없어서(has_rsample이 False: Categorical, Bernoulli, Poisson, "
        "MixtureSameFamily 등) rsample()이 NotImplementedError를 냅니다. 샘플을 거쳐 그래디언트가 흐를 필요가 없다면 "
        "sample()로 뽑으세요. 그래디언트가 필요하다면 점수 함수(REINFORCE: loss = -(dist.log_prob(sample) * "
        "reward).mean())를 쓰거나, 완화된 분포(RelaxedOneHotCategorical, F.gumbel_softmax)를 쓰세요.",
    )


def _no_derivative(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """ "the derivative for 'X' is not implemented": PyTorch has none (derivatives.yaml: not_implemented); an X that is
    itself a backward (`_embedding_bag_backward`) was reached by differentiating a gradient again."""
    found = _found(error, r"the derivative for '(\w+)' is not implemented")
    if found is None:
        return None
    op = found[1]
    en = f"PyTorch defines no derivative for {op}, so backward cannot pass through it."
    ko = fill_korean_format("PyTorch에는 {0}의 미분이 정의되어 있지 않아서 역전파가 이곳을 지나갈 수 없습니다.", [op])
    if op.endswith("_backward"):
        en += (
            f" {op} is itself a backward: a gradient taken with create_graph=True (a gradient penalty, MAML's inner "
            "step, a Hessian) was differentiated again through it. Take that gradient without create_graph where no "
            "second derivative is needed, or write the forward with ops that can be differentiated twice"
        )
        ko += (
            fill_korean_format(" {0}는 그 자체가 역전파입니다. ", [op])
            + "create_graph=True로 구한 그래디언트(그래디언트 페널티, MAML의 안쪽 단계, 헤시안)를 이것을 거쳐 다시 "
            "미분했습니다. 2차 미분이 필요 없다면 그 그래디언트를 create_graph 없이 구하고, "
            "필요하다면 두 번 미분할 수 있는 연산으로 순전파를 쓰세요"
        )
        if "embedding_bag" in op:
            en += " (F.embedding_bag: nn.Embedding followed by .mean(1) or .sum(1) computes the same bags)"
            ko += "(F.embedding_bag 대신 nn.Embedding 다음에 .mean(1)이나 .sum(1)을 쓰면 같은 값을 계산합니다)"
        en, ko = en + ".", ko + "."
    return en, ko


_FORMAT_SPEC = (
    "A format spec such as :.3f formats one number, and this tensor holds several. Format one value "
    '(f"{loss.item():.3f}", f"{x[0]:.3f}"), or each of them ([f"{v:.3f}" for v in x.tolist()]).',
    ":.3f 같은 형식 지정은 수 하나를 꾸미는데, 이 텐서에는 값이 여러 개 있습니다. 값 하나를 꾸미거나"
    '(f"{loss.item():.3f}", f"{x[0]:.3f}"), 값마다 꾸미세요([f"{v:.3f}" for v in x.tolist()]).',
)
_ONE_CYCLE_STEPS = (
    "OneCycleLR plans its schedule for total_steps calls of scheduler.step() (epochs * steps_per_epoch) and cannot "
    "go past them. Step it once per batch, after optimizer.step(), and give it the loop's real counts: "
    "OneCycleLR(optimizer, max_lr, epochs=EPOCHS, steps_per_epoch=len(loader)).",
    "OneCycleLR은 scheduler.step()을 total_steps번(epochs * steps_per_epoch) 부른다고 보고 일정을 짜므로, 그보다 더 "
    "부를 수 없습니다. 배치마다 optimizer.step() 뒤에 한 번 부르고, 반복문의 실제 횟수를 넘기세요: "
    "OneCycleLR(optimizer, max_lr, epochs=EPOCHS, steps_per_epoch=len(loader)).",
)
_VMAP_ITEM = (
    "Inside vmap a tensor stands for a whole batch, so .item() (and an if or while on a tensor) has no one value to "
    "give. Write the choice with tensor operations: torch.where(x.sum() > 0, x, -x) instead of an if.",
    "vmap 안에서 텐서는 배치 전체를 나타내므로 .item()(과 텐서에 대한 if나 while)은 값 하나를 줄 수 없습니다. 선택을 "
    "텐서 연산으로 쓰세요: if 대신 torch.where(x.sum() > 0, x, -x).",
)
_FUNCTION_WITHOUT_SETUP_CONTEXT = (
    "torch.func's transforms (grad, vmap, jacrev...) run a custom autograd.Function only in its newer form: a "
    "forward without ctx, and a setup_context(ctx, inputs, output) staticmethod that saves what backward needs "
    "(ctx.save_for_backward(*inputs)). Split the old forward(ctx, ...) in two that way.",
    "torch.func의 변환(grad, vmap, jacrev...)은 사용자 정의 autograd.Function을 새 형태로만 실행합니다. "
    "ctx 없는 forward와, backward에 필요한 것을 저장하는 setup_context(ctx, inputs, output) 정적 메서드"
    "(ctx.save_for_backward(*inputs))로 나누세요.",
)
_WORKER_ERROR = (
    "The error was raised in a DataLoader worker, in the dataset's __getitem__ (or collate_fn), and the message "
    "above holds its original traceback. Call dataset[i] directly, or set num_workers=0, to see it raised on its own "
    "line.",
    "오류는 DataLoader 워커 안, 데이터셋의 __getitem__(또는 collate_fn)에서 났고, 위 메시지에 원래 트레이스백이 "
    "있습니다. dataset[i]를 직접 부르거나 num_workers=0으로 두면 그 줄에서 바로 오류가 납니다.",
)


def _dim_range(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"expected to be in range of \[(-?\d+), (-?\d+)\], but got (-?\d+)")
    if found:
        axes = int(found[2]) + 1
        word = "axis" if axes == 1 else "axes"
        here = f" the tensor has {axes} {word} (dims {found[1]} to {found[2]}), and dim={found[3]}"
        here_ko = fill_korean_format(  # (dim=2를, dim=1을: the particle after the number as it is read)
            f" 이 텐서의 축은 {axes}개(dim {found[1]}부터 {found[2]}까지)인데 dim={{0}}을 주었습니다", [found[3]]
        )
    else:
        here = here_ko = ""
    # (the example in the failing line's own function, torch.cat's dim, not softmax's: for a 1-D tensor given dim=1)
    called = _DIM_FUNCTIONS.search(error.get("line_text") or "")
    if found and (found[2], found[3]) != ("0", "1"):
        last = found[2]
        return (
            f"dim names an axis the tensor does not have:{here}. Axes are numbered from 0, so the last is dim={last} "
            "(dim=-1 is the last whatever the shape); a tensor without the batch axis the code expects (a single "
            "example) has one fewer. Print x.shape.",
            f"dim이 텐서에 없는 축을 가리킵니다.{here_ko}. 축 번호는 0부터 시작하므로 마지막 축은 dim={last}입니다"
            "(dim=-1은 모양과 상관없이 마지막 축입니다). 코드가 기대한 배치 축이 없는 텐서(예제 하나)는 축이 하나 "
            "적습니다. x.shape을 출력해 보세요.",
        )
    name_ = called[1] if called else "softmax"
    op = f"{name_}([...], dim=1)" if name_ in ("cat", "stack") else f"{name_}(x, dim=1)"
    return (
        f"dim names an axis the tensor does not have:{here}. A single example has no batch axis: {op} "
        "of a 1-D tensor needs dim=0 (or dim=-1, the last axis, whatever the shape). Print x.shape.",
        f"dim이 텐서에 없는 축을 가리킵니다.{here_ko}. 예제 하나에는 배치 축이 없어서, 1차원 텐서의 "
        f"{op}은 dim=0이어야 합니다(dim=-1은 모양과 상관없이 마지막 축입니다). x.shape을 출력해 보세요.",
    )


_DIM_FUNCTIONS = re.compile(
    r"\b(log_softmax|softmax|cat|stack|sum|mean|argmax|argmin|max|min|cumsum|norm|unsqueeze|gather|std|var|"
    r"logsumexp|topk|sort|chunk|split|amax|amin|prod|cumprod|flip|roll|squeeze)\s*\("
)


def _conv_input(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"input to (conv\w*), but got input of size: (\[[^\]]*\])")
    here = f" {found[1]} got {found[2]}" if found else ""
    here_ko = fill_korean_format(f" {found[1]}에 {{0}}가 들어왔습니다", [found[2]]) if found else ""
    return (
        f"A 2-D convolution reads images as (C, H, W), or batches of them as (N, C, H, W):{here}. A grayscale "
        "image (H, W) needs its channel axis: x.unsqueeze(0), and x.unsqueeze(0).unsqueeze(0) for a batch of one.",
        f"2차원 합성곱은 이미지를 (C, H, W)로, 이미지 배치를 (N, C, H, W)로 읽습니다.{here_ko}. 흑백 이미지 (H, W)에는 "
        "채널 축이 필요합니다: x.unsqueeze(0), 배치 하나로 만들려면 x.unsqueeze(0).unsqueeze(0).",
    )


def _joined_sizes(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    stacked = "stack expects" in (error.get("message") or "")
    if stacked:
        return (
            "torch.stack puts tensors side by side along a new axis, so every one must have the same shape: pad them "
            "to one length, or use torch.cat to join them along an axis they already have.",
            "torch.stack은 텐서들을 새 축을 따라 나란히 놓으므로 모양이 모두 같아야 합니다. 길이를 맞추도록 채우거나"
            "(padding), 이미 있는 축을 따라 잇는 torch.cat을 쓰세요.",
        )
    found = _found(error, r"except in dimension (\d+)")
    axis = found[1] if found else "dim"
    return (
        f"torch.cat joins tensors along axis {axis}, so every other axis must have the same size in all of them. Print "
        "each tensor's shape; a missing unsqueeze or a transposed tensor is the usual cause.",
        f"torch.cat은 {axis}번 축을 따라 텐서를 이어 붙이므로, 나머지 축의 크기는 모두 같아야 합니다. 각 텐서의 모양을 "
        "출력해 보세요. 흔한 원인은 빠진 unsqueeze나 전치된 텐서입니다.",
    )


def _rnn_input(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"Expected (\d+), got (\d+)")
    here = f" (the layer expects {found[1]} features, the input has {found[2]})" if found else ""
    here_ko = f"(층은 특징 {found[1]}개를 기대하는데 입력에는 {found[2]}개가 있습니다)" if found else ""
    return (
        f"An RNN, LSTM or GRU reads inputs shaped (L, N, input_size), or (N, L, input_size) with batch_first=True: the "
        f"last axis must be input_size{here}. Check the layer's input_size and the order of the input's axes.",
        f"RNN, LSTM, GRU의 입력 모양은 (L, N, input_size)이고 batch_first=True이면 (N, L, input_size)입니다. "
        f"마지막 축이 input_size여야 합니다{here_ko}. 층의 input_size와 입력 축의 순서를 확인하세요.",
    )


_RNN_SHAPES = (
    "An RNN's initial state has the shape (num_layers, N, hidden_size) for a batched input, (num_layers, "
    "hidden_size) for one sequence.",
    "RNN의 초기 상태 모양은 배치 입력이면 (num_layers, N, hidden_size), 시퀀스 하나면 (num_layers, hidden_size)입니다.",
)
_RNN_HIDDEN = (
    _RNN_SHAPES[0] + " An LSTM takes two of them, (h0, c0). Add the layers axis: h0.unsqueeze(0).",
    _RNN_SHAPES[1] + " LSTM은 (h0, c0) 두 개를 받습니다. 층 축을 더하세요: h0.unsqueeze(0).",
)
_HIDDEN_SIZES = re.compile(r"Expected hidden(?:\[(\d)\])? size \(([\d, ]+)\), got \[([\d, ]+)\]")
_HIDDEN_AXES = (
    ("layers (num_layers)", "층 수(num_layers)"),
    ("batch", "배치"),
    ("hidden size", "은닉 크기(hidden_size)"),
)


def _rnn_hidden(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str]:
    """The initial state's shape against the one the layer expected: the axis that differs says what to fix (the
    batch's is axis 1, whatever batch_first says)."""
    found = _HIDDEN_SIZES.search(error.get("message") or "")
    which, *sizes = found.groups() if found else (None, "", "")
    expected, got = ([int(n) for n in part.split(",") if n.strip()] for part in sizes)
    axis = next((i for i in range(3) if expected[i] != got[i]), None) if len(expected) == len(got) == 3 else None
    if axis is None:
        return _RNN_HIDDEN
    en, ko = _HIDDEN_AXES[axis]
    shape = ", ".join(map(str, expected))
    state = "c0" if which == "1" else "h0"  # (an LSTM names its states hidden[0], h0, and hidden[1], c0)
    carried = ("", "") if axis != 1 else _CARRIED_STATE
    return (
        f"The initial state's {en} (its axis {axis}) is {got[axis]}, where the layer and its input make it "
        f"{expected[axis]}: make {state} with the shape ({shape}), torch.zeros({shape}).{carried[0]} {_RNN_SHAPES[0]}",
        f"초기 상태의 {ko}(축 {axis})가 {got[axis]}인데, 층과 입력에 맞는 값은 {expected[axis]}입니다. 모양이 "
        f"({shape})인 {fill_korean_format('{0}를', [state])} 만드세요: "
        f"torch.zeros({shape}).{carried[1]} {_RNN_SHAPES[1]}",
    )


_CARRIED_STATE = (
    " A state carried over from the previous batch keeps that batch's size, and the last batch is often smaller "
    "(7 examples in batches of 3 end with 1): start the state again for each batch, or drop the short one "
    "(DataLoader(..., drop_last=True)).",
    " 이전 배치에서 넘겨받은 상태는 그 배치의 크기를 그대로 가지는데, 마지막 배치는 더 작은 경우가 많습니다(예제 7개를 "
    "3개씩 나누면 마지막은 1개). 배치마다 상태를 새로 만들거나, 모자란 배치를 버리세요(DataLoader(..., "
    "drop_last=True)).",
)


_TARGET_COLUMN = (
    "cross_entropy (nn.CrossEntropyLoss) and nll_loss (nn.NLLLoss) take one class index per example as their target, "
    "a 1-D tensor of shape [N]; this target has another axis (a column of labels, shape [N, 1], as read from a "
    "table). Use target.squeeze(1) or target.view(-1).",
    "cross_entropy(nn.CrossEntropyLoss)와 nll_loss(nn.NLLLoss)의 정답(target)은 예제마다 클래스 번호 하나, 모양 [N]인 "
    "1차원 텐서입니다. 이 정답에는 축이 하나 더 있습니다(표에서 읽은 레이블 열처럼 모양 [N, 1]). target.squeeze(1)이나 "
    "target.view(-1)을 쓰세요.",
)
_STATE_DICT_PREFIX = (
    "The saved keys start with 'module.': the state_dict was saved from a model wrapped in nn.DataParallel or "
    "DistributedDataParallel, whose parameters sit under .module. Save model.module.state_dict() instead, or take "
    "the prefix off when loading: model.load_state_dict({k.removeprefix('module.'): v for k, v in state.items()}).",
    "저장된 키가 'module.'로 시작합니다. nn.DataParallel이나 DistributedDataParallel로 감싼 모델에서 저장한 "
    "state_dict라서 파라미터가 .module 아래에 있습니다. model.module.state_dict()를 저장하거나, 불러올 때 앞머리를 "
    "떼세요: model.load_state_dict({k.removeprefix('module.'): v for k, v in state.items()}).",
)
_STATE_DICT_KEYS = (
    "The state_dict's keys are not the model's: the saved parameters come from a model built differently (other "
    "layers, other attribute names). Build the model as it was when it was saved, or compare the keys: "
    "print(list(state)), print(list(model.state_dict())). load_state_dict(state, strict=False) loads only the keys "
    "that match, and returns the ones it left out.",
    "state_dict의 키가 모델의 키와 다릅니다. 저장된 파라미터는 다르게 만든 모델(다른 층, 다른 속성 이름)에서 "
    "왔습니다. 저장할 때와 같은 모양으로 모델을 만들거나 키를 비교하세요: print(list(state)), "
    "print(list(model.state_dict())). load_state_dict(state, strict=False)는 맞는 키만 불러오고, 빠뜨린 키를 "
    "돌려줍니다.",
)


def _state_dict_keys(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """load_state_dict's missing or unexpected keys: a DataParallel model's 'module.' prefix, or another model."""
    message = error.get("message") or ""
    if "Missing key(s)" not in message and "Unexpected key(s)" not in message:
        return None  # (only shapes differ: PyTorch's message says which, with both shapes)
    unexpected = message.partition("Unexpected key(s) in state_dict:")[2]
    return _STATE_DICT_PREFIX if '"module.' in unexpected else _STATE_DICT_KEYS


_CLOSURE_RETURNED_NONE = (
    "The closure given to optimizer.step(closure) returned None: it must return the loss. LBFGS calls the closure "
    "several times a step and reads the loss it returns; end it with `return loss`.",
    "optimizer.step(closure)에 넘긴 closure가 None을 돌려주었습니다. closure는 손실을 돌려주어야 합니다. LBFGS는 한 "
    "단계에 closure를 여러 번 부르고 돌려받은 손실을 읽습니다. 끝에 `return loss`를 쓰세요.",
)


def _closure_none(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str] | None:
    """An optimizer step's closure that returned nothing (float(None) inside LBFGS)."""
    return _CLOSURE_RETURNED_NONE if re.search(r"\.\s*step\s*\(", error.get("line_text") or "") else None


_FLOAT_INDICES = (
    "An embedding looks rows up by index, so its input must be integers (torch.long): indices read from data often "
    "arrive as floats. Use idx.long().",
    "임베딩은 번호로 행을 찾기 때문에 입력이 정수(torch.long)여야 합니다. 데이터에서 읽은 번호는 실수로 들어오는 일이 "
    "많습니다. idx.long()을 쓰세요.",
)
_TENSOR_CALLED = (
    "A tensor was called like a function: `.grad` and `.data` are attributes, not methods (w.grad, not w.grad()), "
    "and a name that held a module or a function may now hold a tensor (model = model(x)).",
    "텐서를 함수처럼 호출했습니다. `.grad`와 `.data`는 메서드가 아니라 속성입니다(w.grad()가 아니라 w.grad). 모듈이나 "
    "함수를 담던 이름에 텐서를 다시 담았을 수도 있습니다(model = model(x)).",
)
_HOOK_GRAD_INPUT = (
    "A module's full backward hook gets (module, grad_input, grad_output) and must return None or a tuple with one "
    "entry per input of the module's forward, in order (a None keeps that one).",
    "모듈의 full backward 훅은 (module, grad_input, grad_output)을 받고, None이나 모듈 forward의 입력마다 하나씩 "
    "순서대로 담은 튜플을 돌려주어야 합니다(None인 자리는 그대로 둡니다).",
)
_NON_FINITE_NORM = (
    "The gradients hold inf or nan, so their norm is not finite and clipping cannot scale them: clipping bounds large "
    "gradients, it cannot repair broken ones. Find where they came from (torch.autograd.detect_anomaly() names the "
    "backward node): a log of 0, a division by 0, a learning rate too large.",
    "그래디언트에 inf나 nan이 있어서 노름이 유한하지 않으므로 잘라낼(clip) 수 없습니다. 클리핑은 큰 그래디언트를 "
    "줄일 뿐 망가진 그래디언트를 고치지는 못합니다. 어디서 생겼는지 찾으세요(torch.autograd.detect_anomaly()가 역전파 "
    "노드를 알려 줍니다). 0의 log, 0으로 나누기, 너무 큰 학습률이 흔한 원인입니다.",
)
_NOT_AN_OPTIMIZER = (
    "A learning-rate scheduler takes the optimizer itself (StepLR(optimizer, ...)), not the model's parameters.",
    "학습률 스케줄러는 모델의 파라미터가 아니라 옵티마이저 자체를 받습니다(StepLR(optimizer, ...)).",
)
_POST_ACCUMULATE_RETURNS = (
    "A post-accumulate-grad hook gets the parameter after its .grad is complete and must return None: change "
    "p.grad in place (p.grad.mul_(0.5)) instead of returning a value. A lambda returns what its expression gives, "
    "so write a def.",
    "post-accumulate-grad 훅은 .grad가 다 더해진 파라미터를 받고 None을 돌려주어야 합니다. 값을 돌려주지 말고 "
    "p.grad를 제자리에서 바꾸세요(p.grad.mul_(0.5)). lambda는 식의 값을 돌려주므로 def로 쓰세요.",
)

_ZERO_DIM_INDEX = (
    "A 0-dim tensor (a loss, what sum() or mean() gives) holds one number and has no entries to index: loss.item() "
    "gives that number as a Python float. (loss.data[0] and loss[0] are from PyTorch before 0.4, when a loss was a "
    "tensor of one entry.)",
    "0차원 텐서(손실, sum()이나 mean()의 결과)는 숫자 하나만 담고 있어서 인덱스로 고를 항목이 없습니다. 그 숫자는 "
    "loss.item()으로 파이썬 float로 얻습니다. (loss.data[0]이나 loss[0]은 손실이 항목 하나짜리 텐서였던 PyTorch 0.4 "
    "이전의 코드입니다.)",
)
_NOTHING_TO_JOIN = (
    "torch.stack and torch.cat (and hstack, vstack) join at least one tensor, and the list given here was empty: "
    "the loop meant to fill it did not run (its range or its data was empty), or it appended to another list. "
    "Print len() of the list before this line.",
    "torch.stack과 torch.cat(그리고 hstack, vstack)은 텐서가 하나 이상 있어야 이어 붙이는데, 여기에 넘긴 "
    "리스트가 비어 있습니다. 리스트를 채울 반복문이 한 번도 돌지 않았거나(range나 데이터가 비어 있음) 다른 "
    "리스트에 append했을 수 있습니다. 이 줄 앞에서 리스트의 len()을 출력해 보세요.",
)


def _device_name(error: dict[str, Any], _name: str | None, _seen: "Seen") -> tuple[str, str]:
    found = _found(error, r"at start of device string: (.{1,40})$") or _found(
        error, r"Invalid device string: '([^']{1,40})'"
    )
    given = f"'{found[1]}'" if found else "This"
    return (
        f"{given} is not a device name. A device is written by its type in lower case, with its number after a colon: "
        "'cpu', 'cuda' or 'cuda:0' (an NVIDIA GPU), 'mps' (Apple's). gradwalk runs snippets on the CPU; "
        "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu') works on both.",
        f"{fill_korean_format('{0}은', [given]) if found else '이것은'} 장치 이름이 아닙니다. 장치는 종류를 소문자로 "
        "쓰고, 번호는 콜론 뒤에 붙입니다: 'cpu', 'cuda'나 'cuda:0'(NVIDIA GPU), 'mps'(Apple). gradwalk는 코드를 "
        "CPU에서 실행합니다. device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')로 쓰면 양쪽에서 "
        "모두 동작합니다.",
    )


HINTS: tuple[tuple[str, tuple[re.Pattern[str], ...], Hint | tuple[str, str]], ...] = (
    ("type:SyntaxError", (), _syntax),
    ("type:IndentationError", (), _syntax),
    ("type:TabError", (), _syntax),
    ("grad can be implicitly created only for scalar outputs", _BACKWARD_OF, _not_scalar),
    ("does not require grad and does not have a grad_fn", _BACKWARD_OF, _no_graph),
    ("backward through the graph a second time", _BACKWARD_OF, _second_backward),
    ("leaf Variable that requires grad is being used in an in-place operation", _CHANGED, _leaf_in_place),
    ("has been modified by an inplace operation", (), _saved_changed),
    ("type:PermissionError", (), _shared_object_refused),
    ("type:PermissionError", (), _SANDBOX_REFUSED),
    ("name: EPERM, message: operation not permitted", (), _NO_NETWORK),  # (torch.distributed's store, its socket)
    ("to a (local) address", (), _NO_NETWORK),  # (gloo, where the network namespace has no address to use)
    ("unable to open shared memory object", (), _NO_SHARED_MEMORY),
    ("Torch not compiled with CUDA enabled", (), _NO_GPU),
    ("not linked with support for mps devices", (), _NO_GPU),
    ("Found no NVIDIA driver on your system", (), _NO_GPU),
    ("type:FileNotFoundError", (), _NO_FILE),
    ("EOF when reading a line", (), _NO_KEYBOARD),
    ("type:BdbQuit", (), _NO_DEBUGGER),
    ("type:ModuleNotFoundError", (), _no_module),
    ("type:NotImplementedError", (), _no_rsample),
    ("is not implemented", (), _no_derivative),
    ("'NoneType'", _GRAD_OF, _grad_is_none),
    ("shapes cannot be multiplied", (), _cannot_multiply),
    ("must match the size of tensor b", (), _sizes_differ),
    ("to have the same number of elements, but got", (), _vector_sizes),
    ("size mismatch, got input", (), _vector_sizes),
    ("type:GraphLimit", (), _GRAPH_LIMIT),
    ("type:RecordLimit", (), _RECORD_LIMIT),
    ("type:LoopPaused", (), _LOOP_PAUSED),
    ("type:Timeout", (), _TIMEOUT),
    ("Inference tensors cannot be saved for backward", (), _INFERENCE_SAVED),
    ("dtype can require gradients", (), _INTEGER_GRAD),
    ("returned nan values in its", (), _anomaly_nan),
    ("(torch.nn.Parameter or None expected)", (), _NOT_A_PARAMETER),
    ("before Module.__init__() call", (), _BEFORE_INIT),
    ("you can only change requires_grad flags of leaf variables", (), _NON_LEAF_FLAG),
    ("appears to not have been used in the graph", (), _unused_input),
    ("cannot register a hook on a tensor that doesn't require gradient", (), _HOOK_WITHOUT_GRAD),
    ("Can't call numpy() on Tensor that requires grad", (), _NUMPY_OF_GRAPH),
    ("has changed the size of value", (), _hook_resized),
    ("returned an incorrect number of gradients", (), _gradient_count),
    ("is invalid for input of size", (), _bad_view_shape),
    ("must have the same dtype", (), _dtypes_differ),
    ("to have the same dtype, but got", (), _dtypes_differ),
    ("expected target dtype to be Long", (), _TARGET_KIND),
    ("Expected floating point type for target with class probabilities", (), _TARGET_KIND),
    ("Boolean value of Tensor with more than one value is ambiguous", (), _loss_class_called),
    ("Boolean value of Tensor with more than one value is ambiguous", (), _AMBIGUOUS_BOOL),
    ("cannot be converted to Scalar", (), _NOT_ONE_NUMBER),
    ("only one element tensors can be converted to Python scalars", (), _NOT_ONE_NUMBER),
    ("to match target batch_size", (), _batch_sizes),
    ("view size is not compatible with input tensor's size and stride", (), _VIEW_NOT_CONTIGUOUS),
    ("can't optimize a non-leaf Tensor", _LISTED, _non_leaf_optimized),
    ("optimizer got an empty parameter list", (), _NO_PARAMETERS),
    ("all elements of input should be between 0 and 1", (), _NOT_PROBABILITIES),
    ("One of the differentiated Tensors does not require grad", (), _INPUT_NEEDS_NO_GRAD),
    ("index out of range in self", _FIRST_ARGUMENT, _embedding_index),
    ("channels, but got", (), _channels),
    ("Mismatch in shape: grad_output", _BACKWARD_OF, _seed_shape),
    ("returned an invalid gradient at index", (), _custom_grad_shape),
    ("type:GradcheckError", (), _GRADCHECK),
    ("Legacy autograd function with non-static forward method", (), _LEGACY_FUNCTION),
    ("object has no attribute 'backward'", _BACKWARD_OF, _number_backward),
    ("must be the same as input size", (), _target_shape),
    ("that is different to the input size", (), _target_shape),
    ("can't be cast to the desired output type Long", (), _float_target),
    ("Expected target size [", (), _sequence_target),
    ("is out of bounds.", (), _target_out_of_bounds),
    ("Expected size for first two dimensions of batch2 tensor", (), _batched_product),
    ("(graph leaves) support the deepcopy protocol", (), _deepcopy_pruned),
    ("(graph leaves) support the deepcopy protocol", (), _DEEPCOPY_NON_LEAF),
    ("This view is the output of a function that returns multiple views", (), _MULTIPLE_VIEWS_INPLACE),
    ("does not support the context manager protocol", (), _context_not_called),
    ("unsupported format string passed to Tensor.__format__", (), _FORMAT_SPEC),
    ("The specified number of total steps is", (), _ONE_CYCLE_STEPS),
    ("vmap: It looks like you're calling .item() on a Tensor", (), _VMAP_ITEM),
    ("it must override the setup_context staticmethod", (), _FUNCTION_WITHOUT_SETUP_CONTEXT),
    ("in DataLoader worker process", (), _WORKER_ERROR),
    ("Expected more than 1 value per channel when training", (), _ONE_PER_CHANNEL),
    ("tensors used as indices must be long, int, byte or bool tensors", (), _INDICES_NOT_INTEGERS),
    ("one_hot is only applicable to index tensor", (), _INDICES_NOT_INTEGERS),
    ("Expected dtype int32/int64 for index", (), _INDICES_NOT_INTEGERS),
    ("Expected dtype int32 or int64 for index", (), _INDICES_NOT_INTEGERS),
    ("params argument given to the optimizer should be an iterable of Tensors", (), _ONE_TENSOR_AS_PARAMS),
    ("object is not iterable", (), _not_iterable),
    ("'Tensor' object has no attribute", (), _no_attribute),
    ("object has no attribute", (), _property_hidden),
    ("torch.return_types.", (), _values_and_indices),
    ("'bool' object has no attribute", (), _compared_whole),
    ("self must be a matrix", (), _MM_NEEDS_MATRICES),
    ("mat2 must be a matrix", (), _MM_NEEDS_MATRICES),
    ("must be a 3D tensor", (), _BMM_NEEDS_BATCHES),
    ("Found dtype", (), _found_dtype),
    ("not enough values to unpack", (), _lstm_unpacked),
    ("doesn't match the broadcast shape", (), _inplace_broadcast),
    ("Input type (", (), _input_weight_dtypes),
    ("must be Tensor, not numpy.ndarray", (), _NUMPY_INPUT),
    ("of BackwardHookFunction", (), _HOOK_AND_INPLACE),
    ("more than one element of the written-to tensor refers to a single memory location", (), _SHARED_MEMORY_WRITE),
    ("grad can be implicitly created only for real scalar outputs", (), _COMPLEX_LOSS),
    ("not implemented for 'Long'", (), _INTEGER_KERNEL),
    ("not implemented for 'Int'", (), _INTEGER_KERNEL),
    ("Input dtype must be either a floating point or complex dtype", (), _INTEGER_KERNEL),
    ("Dimension out of range", (), _dim_range),
    ("(batched) input to conv", (), _conv_input),
    ("stack expects each tensor to be equal size", (), _joined_sizes),
    ("Sizes of tensors must match except in dimension", (), _joined_sizes),
    ("input.size(-1) must be equal to input_size", (), _rnn_input),
    ("hx and cx should also be", (), _RNN_HIDDEN),
    ("hx should also be", (), _RNN_HIDDEN),
    ("Expected hidden size", (), _rnn_hidden),
    ("Expected hidden[0] size", (), _rnn_hidden),
    ("Expected hidden[1] size", (), _rnn_hidden),
    ("0D or 1D target tensor expected, multi-target not supported", (), _TARGET_COLUMN),
    ("Error(s) in loading state_dict for", (), _state_dict_keys),
    ("argument must be a string or a real number, not 'NoneType'", (), _closure_none),
    ("for argument #1 'indices' to have one of the following scalar types", (), _FLOAT_INDICES),
    ("'Tensor' object is not callable", (), _TENSOR_CALLED),
    ("Backward hook returned an invalid number of grad_input", (), _HOOK_GRAD_INPUT),
    ("is non-finite, so it cannot be clipped", (), _NON_FINITE_NORM),
    ("is not an Optimizer", (), _NOT_AN_OPTIMIZER),
    ("post accumulate grad hooks should return None", (), _POST_ACCUMULATE_RETURNS),
    ("invalid index of a 0-dim tensor", (), _ZERO_DIM_INDEX),
    ("expects a non-empty TensorList", (), _NOTHING_TO_JOIN),
    ("expected a non-empty list of Tensors", (), _NOTHING_TO_JOIN),
    ("device type at start of device string", (), _device_name),
    ("Invalid device string", (), _device_name),
    ("type:NameError", (), _name_error),
)


# The failing line is searched for the tensor it names in its first LINE_CHARS characters only: the patterns above
# backtrack, and a 16 KB line of `a.a.a…` took them 5 s (a longer line: minutes).
LINE_CHARS = 1000
# And the message in its first MESSAGE_CHARS characters (the printed output a Run keeps by default): each hint's
# needle is looked for in it, and a snippet's 50 MB message took 3.8 s of the run's time, past its limit on a busy host.
MESSAGE_CHARS = 65536


def hint_for(error: dict[str, Any], source: str = "", run: dict[str, Any] | None = None) -> dict[str, str] | None:
    """The explanation of a Run's `error` as {"en": ..., "ko": ...}, or None: `source` is the snippet as it ran
    (its failing line names the tensor), `run` the Run with its graphs (what they say of that tensor); an op's error
    in a function compiled with torch.compile says too why plain torch reports it otherwise."""
    said = _hint_for(error, source, run)
    compiled = (
        _compiled_function(source.splitlines(), error.get("line")) if error.get("type") == "RuntimeError" else None
    )
    if compiled is None:
        return said
    en, ko = said["en"] + " " if said else "", said["ko"] + " " if said else ""
    return {
        "en": en
        + f"gradwalk runs {compiled}, compiled with torch.compile, op by op to record it; plain torch compiles "
        "it first and may report this error then, as a TorchRuntimeError on the line that calls it.",
        "ko": ko
        + fill_korean_format(
            "gradwalk는 torch.compile로 컴파일한 {0}를 기록하려고 연산 하나씩 실행합니다. ", [compiled]
        )
        + "일반 torch는 먼저 컴파일하므로 이 오류를 그때, 그 함수를 부르는 줄에서 "
        "TorchRuntimeError로 알릴 수 있습니다.",
    }


_COMPILE_DECORATOR = re.compile(r"^\s*@\s*(?:torch\.)?compile\b")
_DEF = re.compile(r"^(\s*)(?:async\s+)?def\s+(\w+)")


def _compiled_function(lines: Sequence[str], line: Any) -> str | None:
    """The function the failing line is in, written `name()`, when torch.compile compiled it: its decorator
    (`@torch.compile`, `@torch.compile(mode=...)`) or a call `torch.compile(name` elsewhere in the snippet."""
    if not isinstance(line, int) or not 0 < line <= len(lines):
        return None
    level = len(lines[line - 1]) - len(lines[line - 1].lstrip())
    for k in range(line - 1, 0, -1):
        text = lines[k - 1][:LINE_CHARS]
        if not text.strip() or text.lstrip().startswith("#") or len(text) - len(text.lstrip()) >= level:
            continue
        level = len(text) - len(text.lstrip())
        found = _DEF.match(text)
        if found is None:
            if level == 0:
                return None
            continue
        name, above = found[2], k - 1
        while above > 0 and lines[above - 1].lstrip().startswith("@"):
            if _COMPILE_DECORATOR.match(lines[above - 1]):
                return f"{name}()"
            above -= 1
        called = re.compile(rf"\b(?:torch\.)?compile\(\s*{re.escape(name)}\b")
        return f"{name}()" if any(called.search(text[:LINE_CHARS]) for text in lines) else None
    return None


def _hint_for(error: dict[str, Any], source: str, run: dict[str, Any] | None) -> dict[str, str] | None:
    lines = source.splitlines()
    line = error.get("line")
    line_text = lines[line - 1][:LINE_CHARS] if isinstance(line, int) and 0 < line <= len(lines) else ""
    message = (error.get("message") or "")[:MESSAGE_CHARS]
    for needle, patterns, hint in HINTS:
        kind = needle.removeprefix("type:")
        if (error.get("type") == kind) if needle.startswith("type:") else (needle in message):
            if not callable(hint):
                return {"en": hint[0], "ko": hint[1]}
            names: list[str | None] = [*_names(line_text, patterns)] if patterns else []
            asked = {**error, "message": message, "line_text": line_text, "lines": lines, "run": run}
            said = next((s for n in names or [None] if (s := hint(asked, n, seen_in(run, n))) is not None), None)
            if said is None and names:  # (no name the graphs explain: what is true of any of them)
                said = hint(asked, names[0], Seen())
            if said is None:
                continue
            return {"en": said[0], "ko": said[1]}
    return None
