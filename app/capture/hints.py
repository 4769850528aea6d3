"""Plain-language explanations, in English and Korean, for the autograd errors learners meet most."""

HINTS = (
    (
        "grad can be implicitly created only for scalar outputs",
        "backward() with no argument works only on a scalar (a single value, such as a loss). For a tensor "
        "output y, pass the gradient to start from, shaped like y: y.backward(torch.ones_like(y)), as the "
        "tutorial's vector example does, or reduce it first: y.sum().backward().",
        "인자 없는 backward()는 스칼라(손실처럼 값 하나)에서만 쓸 수 있습니다. 텐서 출력 y라면 y와 같은 모양의 "
        "기울기 벡터를 넘기세요: y.backward(torch.ones_like(y)) (튜토리얼의 벡터 예제처럼), 또는 먼저 "
        "줄이세요: y.sum().backward().",
    ),
    (
        "does not require grad and does not have a grad_fn",
        "This tensor is not part of any graph: none of its inputs had requires_grad=True, or it was made "
        "under torch.no_grad() or by .detach(). Look for the dashed cut in the forward graph.",
        "이 텐서는 어떤 그래프에도 속하지 않습니다. 입력 중 requires_grad=True인 것이 없었거나, "
        "torch.no_grad() 안에서 또는 .detach()로 만들어졌습니다. 순전파 그래프의 점선(끊긴 곳)을 찾아보세요.",
    ),
    (
        "backward through the graph a second time",
        "backward() frees the saved tensors of the graph it ran. To run it again through the same graph, pass "
        "retain_graph=True to the first call, or rebuild the graph with a new forward pass.",
        "backward()는 실행한 그래프의 저장된 텐서를 해제합니다. 같은 그래프로 다시 실행하려면 첫 호출에 "
        "retain_graph=True를 넘기거나, 순전파를 다시 해서 그래프를 새로 만드세요.",
    ),
    (
        "leaf Variable that requires grad is being used in an in-place operation",
        "A leaf that requires grad cannot be changed in place while autograd records: do the update inside "
        "`with torch.no_grad():` (as optimizers do), or work on a copy.",
        "기울기가 필요한 리프 텐서는 기록 중에 제자리(in-place)로 바꿀 수 없습니다. 옵티마이저처럼 "
        "`with torch.no_grad():` 안에서 갱신하거나 복사본으로 작업하세요.",
    ),
    (
        "has been modified by an inplace operation",
        "A tensor that backward needs (a saved tensor) was changed in place after it was saved. Use the "
        "out-of-place form (x = x + 1 instead of x += 1) or clone it before changing it.",
        "backward에 필요한 저장된 텐서가 저장된 뒤 제자리(in-place)로 바뀌었습니다. 제자리 연산 대신 "
        "x = x + 1처럼 쓰거나, 바꾸기 전에 clone() 하세요.",
    ),
)


def hint_for(message: str) -> dict | None:
    """The explanation for an error message, as {"en": ..., "ko": ...}, or None."""
    for needle, english, korean in HINTS:
        if needle in message:
            return {"en": english, "ko": korean}
    return None
