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

    @property
    def code(self) -> str:
        return (HERE / self.file).read_text(encoding="utf-8")


EXAMPLES = (
    Example("scalar", "requires_grad=True 설정", "Setting requires_grad=True", "1_scalar.py"),
    Example("vector", "벡터 연산에서 backward() 호출", "Calling backward() on a vector", "2_vector.py"),
    Example("no-grad", "torch.no_grad()로 미분 추적 방지", "Stopping tracking with torch.no_grad()",
            "3_no_grad.py"),
    Example("detach", "detach()를 활용해 미분 추적 해제", "Cutting a tensor loose with detach()", "4_detach.py"),
    Example("linear-1d", "1D Tensor에 대한 그래디언트 계산", "Gradients of a 1D tensor", "5_linear_1d.py"),
    Example("linear-2d", "2D Tensor에 대한 그래디언트 계산", "Gradients of a 2D tensor", "6_linear_2d.py"),
    Example("mlp", "작은 MLP와 교차 엔트로피", "A small MLP with cross-entropy", "mlp.py"),
    Example("broadcasting", "브로드캐스팅과 그래디언트 합", "Broadcasting and summed gradients", "broadcasting.py"),
    Example("in-place", "제자리(in-place) 연산과 버전", "In-place operations and versions", "inplace.py"),
    Example("higher-order", "고계 미분 (create_graph=True)", "Higher-order gradients (create_graph=True)",
            "higher_order.py"),
)
