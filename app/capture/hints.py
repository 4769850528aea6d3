"""Plain-language explanations, in English and Korean, for the errors learners meet most: each fits the error it
answers and names the snippet's own tensor (read from the failing line: `loss.backward()` names `loss`)."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The tensor a line hands to backward: `loss.backward(`, `torch.autograd.backward(loss`, `autograd.grad(out, ...`.
_BACKWARD_OF = (
    re.compile(r"([A-Za-z_][\w.]*(?:\[[^\]\n]*\])?)\s*\.\s*backward\s*\("),
    re.compile(r"autograd\s*\.\s*(?:backward|grad)\s*\(\s*(?:outputs\s*=\s*)?([A-Za-z_][\w.]*)"),
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


# How the snippet cut a tensor off its graph, in English and Korean, by the op that did it (`no_grad`: any op run
# under torch.no_grad()).
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
    "no_grad": ("torch.no_grad() (or torch.inference_mode())", "torch.no_grad()(또는 torch.inference_mode())"),
}


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
    if node is None:
        ops = [n for n in nodes.values() if n.get("kind") == "op"]
    else:
        sources: dict[str, list[str]] = {}
        for edge in graph.get("edges", ()):
            sources.setdefault(edge["target"], []).append(edge["source"])
        ops, seen, stack = [], {node["id"]}, [node["id"]]
        while stack:
            for source in sources.get(stack.pop(), ()):
                if source not in seen:
                    seen.add(source)
                    stack.append(source)
                    if nodes.get(source, {}).get("kind") == "op":
                        ops.append(nodes[source])
    cut = [op for op in ops if op.get("cut")]
    stopped = "cut" if cut else None
    if stopped is None and any(op.get("non_differentiable") for op in ops):
        stopped = "non_differentiable"
    cuts = dict.fromkeys(_CUT_BY.get(op.get("op", ""), _CUT_BY["no_grad"]) for op in cut)
    accumulator = node.get("grad_accumulator") if node is not None else None
    ran = {n["id"] for n in (run or {}).get("backward", {}).get("nodes", ()) if n.get("order") is not None}
    tracked = any(n.get("requires_grad") for n in nodes.values() if n.get("kind") == "tensor")
    calls = tuple((run or {}).get("backward_calls") or ())
    was_leaf = node is not None and any(
        n.get("var") == name and n.get("is_leaf") and n.get("requires_grad") for n in nodes.values()
    )
    return Seen(node, stopped, accumulator in ran, tuple(cuts), tracked, calls, was_leaf)


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


def _syntax(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    line, column = error.get("line"), error.get("column")
    where_en = f"line {line}" + (f", column {column}" if column else "") if line else "the code"
    where_ko = f"{line}번 줄" + (f" {column}열" if column else "") + "에서 " if line else ""
    message = error.get("message") or "invalid syntax"
    return (
        f"The code never ran: Python could not read {where_en} ({message}), so nothing was recorded and there is no "
        "graph. Fix the marked spot and run it again.",
        f"코드가 실행되지 않았습니다. 파이썬이 {where_ko}코드를 읽지 못해서({message}) "
        "아무것도 기록되지 않았고 그래프도 없습니다. 표시된 곳을 고친 뒤 다시 실행하세요.",
    )


def _not_scalar(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    y, y_ko = _called(name, "the output", "출력 텐서")
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
    if seen.stopped == "cut":
        by = "; ".join(en for en, _ in seen.cuts) or "torch.no_grad(), .detach() or .data"
        by_ko = "; ".join(ko for _, ko in seen.cuts) or "torch.no_grad(), .detach(), .data"
        return (
            f"{y} is not part of any graph: it was made from tensors cut off from it by {by}. Look for the dashed "
            "cut in the forward graph and compute it outside that cut.",
            f"{y_ko}는 어떤 그래프에도 속하지 않습니다. 그래프에서 끊긴 텐서로 만들어졌기 때문입니다"
            f"(끊은 곳: {by_ko}). 순전파 그래프에서 점선으로 끊긴 곳을 찾아, 그 바깥에서 계산하세요.",
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


def _second_backward(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    y = f"{name}.backward()" if name else "backward()"
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


def _cannot_multiply(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = re.search(r"\((\d+)x(\d+) and (\d+)x(\d+)\)", error.get("message") or "")
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


def _sizes_differ(error: dict[str, Any], name: str | None, seen: "Seen") -> tuple[str, str]:
    found = re.search(
        r"tensor a \((\d+)\) must match the size of tensor b \((\d+)\) at non-singleton dimension (\d+)",
        error.get("message") or "",
    )
    here = f" Here axis {found[3]} has sizes {found[1]} and {found[2]}." if found else ""
    here_ko = f" 여기서는 {found[3]}번 축의 크기가 {found[1]}, {found[2]}로 서로 다릅니다." if found else ""
    return (
        "Element-wise operations line two shapes up from the last axis: on each axis the sizes must be equal, or one "
        "of them 1 (broadcasting)." + here + " Print both shapes (x.shape), then reshape one (unsqueeze, view) or "
        "fix where it was made.",
        "원소별 연산은 두 텐서의 모양을 마지막 축부터 맞춰 봅니다. 각 축의 크기는 같거나 한쪽이 1이어야 합니다"
        "(브로드캐스팅)." + here_ko + " 두 텐서의 모양(x.shape)을 출력해 본 뒤, 한쪽의 모양을 바꾸거나(unsqueeze, "
        "view) 텐서를 만든 곳을 고치세요.",
    )


_SAVED_CHANGED = (
    "A tensor that backward needs (a saved tensor) was changed in place after it was saved. Use the "
    "out-of-place form (x = x + 1 instead of x += 1), or clone it before changing it. An optimizer's step() changes "
    "the parameters in place too: call backward() before step(), or compute the loss again after it (in a GAN, "
    "step one model only after the other's backward()). The forward graph shows each in-place change as a new "
    "node of the tensor.",
    "역전파에 필요한 저장된 텐서가 저장된 뒤에 제자리(in-place)로 바뀌었습니다. x += 1 대신 x = x + 1처럼 새 "
    "텐서를 만드는 연산을 쓰거나, 바꾸기 전에 clone()으로 복사하세요. 옵티마이저의 step()도 파라미터를 "
    "제자리에서 바꿉니다. step() 전에 backward()를 호출하거나, step() 뒤에 손실을 다시 계산하세요(GAN이라면 한 "
    "모델의 backward()가 끝난 뒤에 다른 모델을 step()하세요). 순전파 그래프에는 제자리 변경마다 그 텐서의 새 "
    "노드가 생깁니다.",
)

_SANDBOX_REFUSED = (
    "The sandbox gradwalk runs snippets in refused this: a snippet cannot start processes or programs "
    "(multiprocessing, subprocess, os.fork) and writes files only to its scratch folder. Do the work in the snippet "
    "itself (a DataLoader's workers already run in the snippet's process).",
    "gradwalk는 코드를 샌드박스 안에서 실행하는데, 샌드박스가 이 동작을 막았습니다. 코드에서 새 프로세스나 프로그램을 "
    "시작할 수 없고(multiprocessing, subprocess, os.fork), 파일은 작업용 임시 폴더에만 쓸 수 있습니다. 필요한 작업은 "
    "코드 안에서 직접 하세요(DataLoader의 worker는 이미 코드와 같은 프로세스에서 실행됩니다).",
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


Hint = Callable[[dict[str, Any], "str | None", Seen], "tuple[str, str] | None"]  # (None: no hint after all)
# (how the error is recognised: its type, or a part of its message; the tensor its line names; the hint, or its text
# when it says the same whatever the error)
HINTS: tuple[tuple[str, tuple[re.Pattern[str], ...], Hint | tuple[str, str]], ...] = (
    ("type:SyntaxError", (), _syntax),
    ("type:IndentationError", (), _syntax),
    ("type:TabError", (), _syntax),
    ("grad can be implicitly created only for scalar outputs", _BACKWARD_OF, _not_scalar),
    ("does not require grad and does not have a grad_fn", _BACKWARD_OF, _no_graph),
    ("backward through the graph a second time", _BACKWARD_OF, _second_backward),
    ("leaf Variable that requires grad is being used in an in-place operation", _CHANGED, _leaf_in_place),
    ("has been modified by an inplace operation", (), _SAVED_CHANGED),
    ("type:PermissionError", (), _SANDBOX_REFUSED),
    ("'NoneType'", _GRAD_OF, _grad_is_none),
    ("shapes cannot be multiplied", (), _cannot_multiply),
    ("must match the size of tensor b", (), _sizes_differ),
    ("type:GraphLimit", (), _GRAPH_LIMIT),
    ("type:RecordLimit", (), _RECORD_LIMIT),
    ("type:Timeout", (), _TIMEOUT),
)


# The failing line is searched for the tensor it names in its first LINE_CHARS characters only: the patterns above
# backtrack, and a 16 KB line of `a.a.a…` took them 5 s (a longer line: minutes).
LINE_CHARS = 1000


def hint_for(error: dict[str, Any], source: str = "", run: dict[str, Any] | None = None) -> dict[str, str] | None:
    """The explanation of a Run's `error` as {"en": ..., "ko": ...}, or None: `source` is the snippet as it ran
    (its failing line names the tensor), `run` the Run with its graphs (what they say of that tensor)."""
    lines = source.splitlines()
    line = error.get("line")
    line_text = lines[line - 1][:LINE_CHARS] if isinstance(line, int) and 0 < line <= len(lines) else ""
    message = error.get("message") or ""
    for needle, patterns, hint in HINTS:
        kind = needle.removeprefix("type:")
        if (error.get("type") == kind) if needle.startswith("type:") else (needle in message):
            if not callable(hint):
                return {"en": hint[0], "ko": hint[1]}
            names: list[str | None] = [*_names(line_text, patterns)] if patterns else []
            asked = {**error, "line_text": line_text}
            said = next((s for n in names or [None] if (s := hint(asked, n, seen_in(run, n))) is not None), None)
            if said is None and names:  # (no name the graphs explain: what is true of any of them)
                said = hint(asked, names[0], Seen())
            if said is None:
                continue
            return {"en": said[0], "ko": said[1]}
    return None
