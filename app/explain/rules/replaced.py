"""Ops whose output does not depend differentiably on their input (derivatives.yaml: zero_, fill, fill_, uniform_,
normal_, normal, bernoulli, bernoulli_, random_, exponential_, cauchy_, geometric_, log_normal_, poisson, and the
in-place comparisons eq_, ne_, lt_, le_, gt_, ge_): the values were replaced, drawn at random or turned into 0/1,
so PyTorch sends their inputs 0 (a `fill_` with a tensor value sends that value the sum of the gradient)."""

from ..expr import Expr, Mask, summed_to
from ..rule import Ctx, Rule, Slot, Words, add
from .elementwise import zeros_for

ZERO = "∂{y}/∂{x} = 0"


def _replaced(ctx: Ctx) -> Expr:
    """The input whose entries were overwritten: 0 in grad's shape (PyTorch's zeros_like(grad): 0 even where the
    gradient is infinite)."""
    return ctx.grad * Mask("0", 0)


def _zero_for(slot: int):
    return lambda c: zeros_for(c, slot)


def _summed(ctx: Ctx) -> Expr:
    """fill_'s tensor value, copied to every entry: the gradient summed to its shape (derivatives.yaml: grad.sum())."""
    shape = ctx.input_shape(1)
    return summed_to(ctx.grad, () if shape is None else shape)


# -- zero_ and fill ------------------------------------------------------------------------------------------------

OVERWRITTEN = (
    "{how} replaced every value of {x}: the output does not depend on what {x} held, so {x} gets a gradient of 0 "
    "(its old values no longer reach the loss).",
    "{how_ko} {x}의 모든 값을 바꿨습니다. 출력은 {x}에 들어 있던 값과 상관이 없으므로 {x}는 그래디언트 0을 "
    "받습니다(원래 값은 더 이상 손실에 닿지 않습니다).",
)
FILLED_WITH_TENSOR = (
    OVERWRITTEN[0] + " The tensor {v} was copied into every entry, so it gets the sum of all the gradient: Σ grad.",
    OVERWRITTEN[1] + " 텐서 {v}는 모든 원소에 복사되었으므로 그래디언트 전체의 합 Σ grad를 받습니다.",
)


def _overwriting(node: str, title: Words, forward: Words, how: Words, value: bool = False) -> Rule:
    slots: tuple[Slot, ...] = (Slot("self", "x", _replaced),)
    if value:
        slots += (Slot("value", "v", _summed),)
    return Rule(
        node,
        title,
        forward,
        ZERO + (", ∂{y}ᵢ/∂{v} = 1" if value else ""),
        FILLED_WITH_TENSOR if value else OVERWRITTEN,
        slots,
        params=lambda c: {"how": how[0], "how_ko": how[1]},
    )


ZERO_FORWARD = ("{y} = {x}.zero_(): 0 in every entry", "{y} = {x}.zero_(): 모든 원소가 0")
FILL_FORWARD = ("{y} = a number in every entry", "{y} = 모든 원소가 같은 수")
FILL_TENSOR_FORWARD = ("{y} = {v} in every entry", "{y} = 모든 원소가 {v}")
FILL_HOW = ("fill", "fill은")
FILL_IN_PLACE_HOW = ("fill_", "fill_은")

add(
    _overwriting("ZeroBackward0", ("setting to 0 (zero_)", "0으로 채우기(zero_)"), ZERO_FORWARD, ("zero_", "zero_는")),
    _overwriting("FillBackward0", ("filling with a number", "한 수로 채우기(fill)"), FILL_FORWARD, FILL_HOW),
    _overwriting(
        "FillBackward1",
        ("filling with a tensor's value", "텐서 값으로 채우기(fill)"),
        FILL_TENSOR_FORWARD,
        FILL_HOW,
        True,
    ),
    _overwriting(
        "FillBackward2", ("filling with a number in place", "한 수로 채우기(fill_)"), FILL_FORWARD, FILL_IN_PLACE_HOW
    ),
    _overwriting(
        "FillBackward3",
        ("filling with a tensor's value in place", "텐서 값으로 채우기(fill_)"),
        FILL_TENSOR_FORWARD,
        FILL_IN_PLACE_HOW,
        True,
    ),
)


# -- random draws --------------------------------------------------------------------------------------------------

DRAWN = (
    "{how} drew a new random value for every entry of {x}: the output does not depend on what {x} held, so {x} gets "
    "a gradient of 0. The distribution's parameters were plain numbers, which get no gradient.",
    "{how_ko} {x}의 모든 원소에 난수를 새로 뽑아 넣었습니다. 출력은 {x}에 들어 있던 값과 상관이 없으므로 {x}는 "
    "그래디언트 0을 받습니다. 분포의 모수는 그냥 수였으므로 그래디언트를 받지 않습니다.",
)
IN_PLACE_DRAWS = [  # node, the call, what each entry is drawn from (English, Korean), the Korean topic particle
    ("UniformBackward0", "uniform_(from, to)", ("the uniform distribution U(from, to)", "균등분포 U(from, to)"), "은"),
    (
        "NormalBackward0",
        "normal_(mean, std)",
        ("the normal distribution N(mean, std²)", "정규분포 N(mean, std²)"),
        "은",
    ),
    ("ExponentialBackward0", "exponential_(λ)", ("the exponential distribution Exp(λ)", "지수분포 Exp(λ)"), "은"),
    ("CauchyBackward0", "cauchy_(median, σ)", ("the Cauchy distribution", "코시 분포"), "는"),
    ("GeometricBackward0", "geometric_(p)", ("the geometric distribution Geom(p)", "기하분포 Geom(p)"), "은"),
    ("LogNormalBackward0", "log_normal_(mean, std)", ("the log-normal distribution", "로그정규분포"), "은"),
    ("RandomBackward0", "random_(from, to)", ("the integers from … to - 1", "정수 from … to - 1"), "은"),
    ("RandomBackward1", "random_(to)", ("the integers 0 … to - 1", "정수 0 … to - 1"), "은"),
    ("RandomBackward2", "random_()", ("the integers the dtype holds", "자료형이 담을 수 있는 정수"), "은"),
    ("BernoulliBackward2", "bernoulli_(p)", ("Bernoulli(p): 1 or 0", "베르누이 분포 Bernoulli(p): 1 또는 0"), "는"),
]


def _draw(node: str, method: str, source: Words, particle: str) -> Rule:
    name = method.split("(")[0]
    return Rule(
        node,
        (f"random fill in place ({name})", f"제자리 난수 채우기({name})"),
        (
            f"{{y}} = {{x}}.{method}: each entry drawn from {source[0]}",
            f"{{y}} = {{x}}.{method}: 원소마다 {source[1]}에서 뽑은 값",
        ),
        ZERO,
        DRAWN,
        (Slot("self", "x", _replaced),),
        params=lambda c: {"how": name, "how_ko": name + particle},
    )


add(*(_draw(*entry) for entry in IN_PLACE_DRAWS))

NOT_REPARAMETERIZED = (
    " For a gradient through a sample, write it as a function of its parameters: mean + std · "
    "torch.randn_like(std), what torch.distributions.Normal(mean, std).rsample() does (the reparameterization "
    "trick); then mean gets grad and std gets grad times the noise.",
    " 샘플을 거쳐 그래디언트를 보내려면 샘플을 모수의 함수로 쓰면 됩니다. mean + std · torch.randn_like(std)가 "
    "그 식이며, torch.distributions.Normal(mean, std).rsample()도 이렇게 계산합니다(재매개변수화 기법). 그러면 "
    "mean은 grad를, std는 grad에 잡음을 곱한 값을 받습니다.",
)
NORMAL = (
    "torch.normal drew each entry from N(mean, std²). PyTorch defines no derivative of the draw in its parameters: "
    "it sends {which} a gradient of 0 (its derivatives.yaml: zeros).",
    "torch.normal은 원소마다 N(mean, std²)에서 값을 뽑았습니다. PyTorch는 이 추출을 모수로 미분하지 않고 "
    "{which}에 그래디언트 0을 보냅니다(derivatives.yaml: zeros).",
)


def _normal(node: str, args: tuple[str, ...], forward: str) -> Rule:
    letters = {"mean": "μ", "std": "σ"}
    named = ["{" + letters[arg] + "}" for arg in args]
    return Rule(
        node,
        ("normal samples (torch.normal)", "정규분포 샘플(torch.normal)"),
        forward,
        ", ".join(f"∂{{y}}/∂{name} = 0 (PyTorch's)" for name in named),
        (
            NORMAL[0].replace("{which}", " and ".join(named)) + NOT_REPARAMETERIZED[0],
            NORMAL[1].replace("{which}", "와 ".join(named)) + NOT_REPARAMETERIZED[1],
        ),
        tuple(Slot(arg, letters[arg], _zero_for(slot)) for slot, arg in enumerate(args)),
    )


BERNOULLI = (
    "{how} drew 1 with probability {p} and 0 otherwise. A draw of 0 or 1 does not change a little when {p} does "
    "(it jumps, at random), so PyTorch sends {p} a gradient of 0.",
    "{how_ko} 확률 {p}로 1을, 나머지 경우 0을 뽑았습니다. 0 또는 1인 결과는 {p}가 조금 바뀐다고 조금 바뀌지 "
    "않으므로(무작위로 뛰어오름), PyTorch는 {p}에 그래디언트 0을 보냅니다.",
)
ESTIMATORS = (
    " To learn probabilities through such draws, one uses an estimator instead: the log-probability of the draw "
    "(REINFORCE) or a relaxed, continuous sample (torch.distributions.RelaxedBernoulli).",
    " 이런 추출을 거쳐 확률을 학습하려면 대신 추정량을 씁니다. 뽑힌 값의 로그 확률(REINFORCE)이나 연속으로 완화한 "
    "샘플(torch.distributions.RelaxedBernoulli)을 쓰는 방법이 있습니다.",
)
BERNOULLI_IN_PLACE = (
    "bernoulli_ replaced every value of {x}: it drew 1 with probability {p} and 0 otherwise. A draw of 0 or 1 does "
    "not change a little when {p} does (it jumps, at random), so PyTorch sends {p} a gradient of 0, and {x}, whose "
    "old values are gone, 0 too." + ESTIMATORS[0],
    "bernoulli_는 {x}의 모든 값을 바꿔, 확률 {p}로 1을, 나머지 경우 0을 뽑았습니다. 0 또는 1인 결과는 {p}가 조금 "
    "바뀐다고 조금 바뀌지 않으므로(무작위로 뛰어오름), PyTorch는 {p}에 그래디언트 0을 보내고, 원래 값이 사라진 "
    "{x}에도 0을 보냅니다." + ESTIMATORS[1],
)

add(
    _normal("NormalBackward1", ("mean",), "{y} ~ N({μ}, std²) (torch.normal({μ}, std))"),
    _normal("NormalBackward2", ("std",), "{y} ~ N(mean, {σ}²) (torch.normal(mean, {σ}))"),
    _normal("NormalBackward3", ("mean", "std"), "{y} ~ N({μ}, {σ}²) (torch.normal({μ}, {σ}))"),
    Rule(
        "BernoulliBackward0",
        ("Bernoulli samples (torch.bernoulli)", "베르누이 샘플(torch.bernoulli)"),
        ("{y} = 1 with probability {p}, else 0", "{y} = 확률 {p}로 1, 아니면 0"),
        "∂{y}/∂{p} = 0 (PyTorch's)",
        (BERNOULLI[0] + ESTIMATORS[0], BERNOULLI[1] + ESTIMATORS[1]),
        (Slot("self", "p", _replaced),),
        params=lambda c: {"how": "torch.bernoulli", "how_ko": "torch.bernoulli는"},
    ),
    Rule(
        "BernoulliBackward1",
        ("in-place Bernoulli random fill (bernoulli_)", "베르누이 분포 난수로 채우기(bernoulli_)"),
        (
            "{y} = {x}.bernoulli_({p}): 1 with probability {p}, else 0",
            "{y} = {x}.bernoulli_({p}): 확률 {p}로 1, 아니면 0",
        ),
        "∂{y}/∂{x} = 0, ∂{y}/∂{p} = 0 (PyTorch's)",
        BERNOULLI_IN_PLACE,
        (Slot("self", "x", _replaced), Slot("p", "p", _zero_for(1))),
    ),
)


# -- comparisons in place --------------------------------------------------------------------------------------------

COMPARED = (
    "{x}.{name}(…) overwrote {x} with 1 where {test} holds and 0 elsewhere (in {x}'s own dtype). That is a step: "
    "flat everywhere except where it jumps, so PyTorch sends {x} a gradient of 0{also}.",
    "{x}.{name}(…)은 {test}인 곳은 1, 아닌 곳은 0으로 {x}를 덮어썼습니다({x}의 자료형 그대로). 계단 모양이라 값이 "
    "뛰는 곳 말고는 평평하므로, PyTorch는 {x}에 그래디언트 0을 보냅니다{also}.",
)
COMPARED_WITH = (" (and {c}, the tensor it was compared with, 0 too)", "(비교한 텐서 {c}에도 0을 보냅니다)")
COMPARISONS = [("Eq", "eq_", "="), ("Ne", "ne_", "≠"), ("Lt", "lt_", "<"), ("Le", "le_", "≤"), ("Gt", "gt_", ">")]
COMPARISONS.append(("Ge", "ge_", "≥"))


def _comparison(node: str, name: str, sign: str, tensor: bool) -> Rule:
    test = f"{{x}} {sign} {{c}}" if tensor else f"{{x}} {sign} c"
    slots: tuple[Slot, ...] = (Slot("self", "x", _replaced),)
    if tensor:
        slots += (Slot("other", "c", _zero_for(1)),)
    words = tuple(
        text.replace("{name}", name).replace("{test}", test).replace("{also}", COMPARED_WITH[i] if tensor else "")
        for i, text in enumerate(COMPARED)
    )
    return Rule(
        node,
        (f"comparison in place ({name})", f"제자리 비교({name})"),
        f"{{y}} = 1[{test}]",
        ZERO + (", ∂{y}/∂{c} = 0" if tensor else ""),
        (words[0], words[1]),
        slots,
    )


add(
    *(
        _comparison(f"{stem}Backward{index}", name, sign, bool(index))
        for stem, name, sign in COMPARISONS
        for index in (0, 1)
    )
)

add(
    Rule(
        "PoissonBackward0",
        ("Poisson samples (torch.poisson)", "푸아송 샘플(torch.poisson)"),
        ("{y} = a random count with mean {x} (Poisson)", "{y} = 평균이 {x}인 무작위 개수(푸아송 분포)"),
        "∂{y}/∂{x} = 0 (PyTorch's)",
        (
            "torch.poisson drew a whole number (a count) with mean {x} for every entry. A count does not change a "
            "little when the rate does (it jumps, at random), so PyTorch sends {x} a gradient of 0. To learn a rate "
            "through such draws, one uses the log-probability of the draw instead "
            "(torch.distributions.Poisson(rate).log_prob, REINFORCE).",
            "torch.poisson은 원소마다 평균이 {x}인 정수(개수)를 뽑았습니다. 개수는 비율이 조금 바뀐다고 조금 바뀌지 "
            "않으므로(무작위로 뛰어오름), PyTorch는 {x}에 그래디언트 0을 보냅니다. 이런 추출을 거쳐 비율을 "
            "학습하려면 대신 뽑힌 값의 로그 확률(torch.distributions.Poisson(rate).log_prob, REINFORCE)을 씁니다.",
        ),
        (Slot("self", "x", _replaced),),
    ),
)
