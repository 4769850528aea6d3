"""Example snippets: the seed tutorial's six, exactly as a person copies them out of it, then a few more."""

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Example:
    id: str
    title: str  # Korean, as the tutorial titles it
    title_en: str
    file: str
    about: str  # Korean: the tutorial's own explanation where it has one ("- " starts a bullet, `code` in backticks)
    about_en: str

    @property
    def code(self) -> str:
        return (HERE / self.file).read_text(encoding="utf-8")

    def as_json(self) -> dict[str, str]:
        """As `GET /api/examples` lists it, and the page carries it."""
        fields = ("id", "title", "title_en", "about", "about_en", "code")
        return {name: getattr(self, name) for name in fields}


EXAMPLES = (
    Example(
        "scalar",
        "requires_grad=True 설정",
        "Setting requires_grad=True",
        "1_scalar.py",
        "- `requires_grad=True` → PyTorch가 이 텐서를 추적하고 미분 가능하도록 함.\n"
        "- `y.backward()` → y를 x에 대해 미분 (dy/dx)\n"
        "- `x.grad` → x에 대한 그래디언트 값 저장됨.\n"
        "- x = 2이므로 `x.grad`에는 2x = 4가 저장됩니다.",
        "- `requires_grad=True` → PyTorch records every operation on this tensor so it can be differentiated.\n"
        "- `y.backward()` → differentiates y with respect to x (dy/dx = 2x).\n"
        "- `x.grad` → where the gradient for x is stored: 4 at x = 2.",
    ),
    Example(
        "vector",
        "벡터 연산에서 backward() 호출",
        "Calling backward() on a vector",
        "2_vector.py",
        "`backward()`는 스칼라 값(숫자 하나)에서만 직접 호출이 가능합니다. "
        "벡터의 그래디언트를 구하려면 gradient 벡터를 명시해야 합니다. 여기서는 gradient로 [1, 1, 1]을 넘겼으므로 "
        "x.grad = 2x = [2, 4, 6]입니다.",
        "`backward()` can be called directly only on a scalar (a single number). For a vector, pass the "
        "gradient vector to start from: here [1, 1, 1], so x.grad = 2x = [2, 4, 6].",
    ),
    Example(
        "no-grad",
        "torch.no_grad()로 미분 추적 방지",
        "Stopping tracking with torch.no_grad()",
        "3_no_grad.py",
        "모델이 학습할 때는 `requires_grad=True`를 설정해야 하지만, 추론(inference) 단계에서는 불필요한 미분 "
        "계산을 막아 성능을 최적화해야 합니다. `no_grad` 안에서도 연산은 수행되지만 연산 그래프는 기록되지 않으므로 "
        "y.requires_grad는 False입니다.",
        "Training needs `requires_grad=True`, but at inference time skipping the gradient bookkeeping saves work. "
        "Inside `no_grad` the operation runs but no graph is recorded: y.requires_grad is False.",
    ),
    Example(
        "detach",
        "detach()를 활용해 미분 추적 해제",
        "Cutting a tensor loose with detach()",
        "4_detach.py",
        "`detach()`를 사용하면 특정 텐서를 미분 계산에서 분리할 수 있습니다. y_detached는 y와 값을 공유하지만 연산 "
        "그래프에서 떨어져 나온 텐서라서, y는 여전히 미분을 추적하고(True) y_detached는 추적하지 않습니다(False).",
        "`detach()` gives a tensor that shares the data but is cut from the graph: y still requires grad, "
        "y_detached does not.",
    ),
    Example(
        "linear-1d",
        "1D Tensor에 대한 그래디언트 계산",
        "Gradients of a 1D tensor",
        "5_linear_1d.py",
        "- 선형 모델: `y_pred = w * x`\n"
        "- 손실 함수: MSE Loss = `(y_pred - y_true) ^ 2`\n"
        "- `loss.backward()` → 그래디언트 계산 (역전파): 가중치 w에 대한 그래디언트는 `w.grad`에 저장됨"
        "(여기서는 -2, `x.grad`는 -4).",
        "- A linear model: `y_pred = w * x`.\n"
        "- The loss: squared error `(y_pred - y_true) ** 2`.\n"
        "- `loss.backward()` computes the gradients (backpropagation): `w.grad` = -2, `x.grad` = -4.",
    ),
    Example(
        "linear-2d",
        "2D Tensor에 대한 그래디언트 계산",
        "Gradients of a 2D tensor",
        "6_linear_2d.py",
        "- `X @ W`: (2x3) . (3x1) → (2x1) 텐서가 됨\n"
        "- `+ b`: 브로드캐스팅(broadcasting)으로 편향 추가됨\n"
        "- 역전파를 수행하면, 손실 함수가 각 가중치 W와 편향 b에 대해 미분 됩니다.\n"
        "- `W.grad`는 `d(loss) / d(W)`를 저장\n"
        "- `b.grad`는 `d(loss) / d(b)`를 저장\n"
        "- 튜토리얼의 식 loss = ½ Σ(y_pred - y_true)²는 샘플이 2개인 이 예제에서 `torch.mean`과 같아서 "
        "loss = (8.1² + 16.3²) / 2 = 165.65입니다.\n"
        "- 역전파에서 y_pred가 받는 그래디언트 grad는 2 · (y_pred - y_true) / 2 = [[-8.1], [-16.3]]이고, 이 grad로부터 "
        "`W.grad` = Xᵀ · grad = [[-73.3], [-97.7], [-122.1]], `b.grad` = -8.1 + (-16.3) = -24.4가 나옵니다.",
        "- `X @ W`: (2x3) times (3x1) gives a (2x1) tensor.\n"
        "- `+ b`: the bias is added by broadcasting.\n"
        "- Backpropagation differentiates the loss with respect to every weight W and the bias b.\n"
        "- `W.grad` holds `d(loss) / d(W)`\n"
        "- `b.grad` holds `d(loss) / d(b)`\n"
        "- The tutorial's formula loss = ½ Σ(y_pred - y_true)² is this `torch.mean`, with 2 samples: "
        "loss = (8.1² + 16.3²) / 2 = 165.65.\n"
        "- y_pred gets the gradient grad = 2 · (y_pred - y_true) / 2 = [[-8.1], [-16.3]]; from it "
        "`W.grad` = Xᵀ · grad = [[-73.3], [-97.7], [-122.1]] and `b.grad` = -8.1 + (-16.3) = -24.4.",
    ),
    Example(
        "mlp",
        "작은 MLP와 교차 엔트로피",
        "A small MLP with cross-entropy",
        "mlp.py",
        "`nn.Sequential`로 만든 작은 분류기입니다. 교차 엔트로피 손실에서 시작한 역전파가 모든 층의 가중치와 "
        "편향에 그래디언트를 채웁니다.",
        "A small classifier built with `nn.Sequential`. Backpropagation from the cross-entropy loss fills the "
        "gradient of every layer's weight and bias.",
    ),
    Example(
        "broadcasting",
        "브로드캐스팅과 그래디언트 합",
        "Broadcasting and summed gradients",
        "broadcasting.py",
        "(3, 1) 열과 (1, 4) 행을 곱하면 (3, 4) 격자가 됩니다. 역전파는 브로드캐스트된 차원을 따라 그래디언트를 "
        "다시 더합니다.",
        "A (3, 1) column times a (1, 4) row makes a (3, 4) grid. Backward sums the gradient back over the "
        "broadcast dimensions.",
    ),
    Example(
        "in-place",
        "제자리(in-place) 연산과 버전",
        "In-place operations and versions",
        "inplace.py",
        "`y.add_(1)`처럼 텐서를 제자리에서 바꾸면 새 버전이 생깁니다. gradwalk는 버전마다 노드를 그립니다.",
        "Changing a tensor in place, like `y.add_(1)`, makes a new version of it. gradwalk draws a node for "
        "each version.",
    ),
    Example(
        "higher-order",
        "고계 미분 (create_graph=True)",
        "Higher-order gradients (create_graph=True)",
        "higher_order.py",
        "`create_graph=True`로 구한 1계 도함수는 그 자체로 그래프를 가지므로 한 번 더 미분할 수 있습니다.",
        "With `create_graph=True` the first derivative has a graph of its own, so it can be differentiated again.",
    ),
)
