"""The explanation engine, with PyTorch as the oracle: every op below is built in plain torch, backward runs with
the hooks a recorder uses (app.explain.walk), and every explained gradient must match what PyTorch sent."""

import builtins
import contextlib
import io
import linecache
import math
import re
import warnings
from pathlib import Path

import msgspec
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from app.capture import prepare_source
from app.explain import RULES, explain_node
from app.explain.rule import Rule, Slot
from app.explain.walk import NodeRecord, Tape, Watch
from app.graph import Explanation

ROOT = Path(__file__).resolve().parent.parent
# The seed's examples: shared/ beside the checkout (as CI lays it) or beside a worktree's parent; else the copies
# the app ships (app/examples holds the same six files).
SEED = next(
    (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if (p / "seed" / "examples").is_dir()),
    None,
)
SEED = SEED / "seed" / "examples" if SEED is not None else ROOT / "app" / "examples"
# deep_chain.py (20 000 identical multiplications) is a capture stress test, not a model: left out of the ratio.
CORPUS = sorted(p for p in (ROOT / "tests" / "corpus").glob("*.py") if p.name != "deep_chain.py") + [
    ROOT / "app" / "examples" / name for name in ("broadcasting.py", "inplace.py", "mlp.py", "higher_order.py")
]
UNCHECKED = {"CopySlices"}
NN_RULES = {  # exercised by the corpus and MODELS below
    "NativeLayerNormBackward0",
    "NativeBatchNormBackward0",
    "ConvolutionBackward0",
    "MkldnnRnnLayerBackward0",
    "ScaledDotProductFlashAttentionForCpuBackward0",
    "MaxPool2DWithIndicesBackward0",
    "UnsafeSplitBackward0",
}  # rules whose checks are null by design (see docs/explain.md)


def explain_source(source: str, max_elements: int = 64) -> tuple[list[NodeRecord], dict]:
    """Run a snippet under a tape (as a worker would, same seed) and explain every backward node."""
    namespace = {"__builtins__": builtins, "__name__": "__main__", "torch": torch, "nn": nn, "F": F}
    tape = Tape()
    torch.manual_seed(0)
    text = prepare_source(source)
    linecache.cache["<snippet>"] = (len(text), None, text.splitlines(keepends=True), "<snippet>")  # for jit.script
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), Watch(tape):
        warnings.simplefilter("ignore")  # the snippet's own warnings (torch.jit.script's deprecation) are not ours
        with contextlib.suppress(Exception):  # a snippet that raises: what it built before is explained
            exec(compile(text, "<snippet>", "exec"), namespace)
    return tape.explain(namespace, max_elements), namespace


def failed_checks(records: list[NodeRecord]) -> list[str]:
    return [
        f"{r.name} slot {entry['slot']}: {entry['check']} {entry['formula']['en']} / {entry['numbers']}"
        for r in records
        if r.explain
        for entry in r.explain["inputs"]
        if entry["check"] is not None and not entry["check"]["ok"]
    ]


def unchecked(records: list[NodeRecord]) -> list[str]:
    """Slots that got a gradient from PyTorch but carry no check (outside the rules unchecked by design)."""
    return [
        f"{r.name} slot {e['slot']}: {r.explain['words']['en']}"
        for r in records
        if r.explain and r.name not in UNCHECKED and r.grad_inputs is not None and not _user_function(r)
        for e in r.explain["inputs"]
        if e["check"] is None and e["slot"] < len(r.grad_inputs) and r.grad_inputs[e["slot"]] is not None
    ]


def _user_function(record: NodeRecord) -> bool:
    return isinstance(record.node, torch.autograd.function.BackwardCFunction)


def by_name(records: list[NodeRecord], name: str) -> NodeRecord:
    return next(r for r in records if r.name == name)


def entry_for(records: list[NodeRecord], name: str, slot: int = 0) -> dict:
    return by_name(records, name).explain["inputs"][slot]


# -- the seed: the tutorial's six examples, explained 100 %, with the numbers it prints ----------------------


def seed(name: str) -> str:
    return (SEED / name).read_text()


def test_seed_scalar_shows_the_power_rule_with_its_numbers():
    records, _ = explain_source(seed("1_scalar.py"))
    assert all(r.explain for r in records) and not failed_checks(records)
    pow_entry = entry_for(records, "PowBackward0")
    assert pow_entry["formula"]["en"] == "grad_x = grad · 2 · x"
    assert pow_entry["numbers"] == "1 · 2 · 2 = 4"
    assert by_name(records, "PowBackward0").explain["formula"]["en"] == "∂y/∂x = 2 · x"
    leaf = entry_for(records, "AccumulateGrad")
    assert leaf["formula"]["en"].startswith("x.grad += ") and leaf["numbers"] == "4"


def test_seed_vector_gives_2_4_6():
    records, _ = explain_source(seed("2_vector.py"))
    assert all(r.explain for r in records) and not failed_checks(records)
    assert entry_for(records, "PowBackward0")["numbers"] == "[1, 1, 1] · 2 ⊙ [1, 2, 3] = [2, 4, 6]"
    assert entry_for(records, "AccumulateGrad")["numbers"] == "[2, 4, 6]"


@pytest.mark.parametrize("name", ["3_no_grad.py", "4_detach.py"])
def test_seed_without_backward_has_nothing_unexplained(name):
    records, _ = explain_source(seed(name))
    assert all(r.explain for r in records) and not failed_checks(records)


def test_seed_linear_1d_gives_w_grad_minus_2():
    records, _ = explain_source(seed("5_linear_1d.py"))
    assert all(r.explain for r in records) and not failed_checks(records) and not unchecked(records)
    mul = by_name(records, "MulBackward0").explain["inputs"]
    assert mul[0]["formula"]["en"] == "grad_w = grad · x" and mul[0]["numbers"] == "-2 · 1 = -2"
    assert mul[1]["formula"]["en"] == "grad_x = grad · w" and mul[1]["numbers"] == "-2 · 2 = -4"
    # the unnamed y_pred - y_true is not called x, a name the snippet already uses
    assert entry_for(records, "PowBackward0")["numbers"] == "1 · 2 · (-1) = -2"
    assert "x" not in entry_for(records, "PowBackward0")["formula"]["en"].split()


def test_seed_linear_2d_shows_w_grad_as_x_transposed_times_grad():
    records, _ = explain_source(seed("6_linear_2d.py"))
    assert all(r.explain for r in records) and not failed_checks(records) and not unchecked(records)
    mm = by_name(records, "MmBackward0").explain["inputs"]
    assert mm[1]["formula"]["en"] == "grad_W = Xᵀ · grad"
    assert mm[1]["numbers"] == "[[1, 4], [2, 5], [3, 6]] · [[-8.1], [-16.3]] = [[-73.3], [-97.7], [-122.1]]"
    assert mm[0]["formula"]["en"] == "grad_X = grad · Wᵀ"
    bias = by_name(records, "AddBackward0").explain["inputs"][1]
    assert bias["formula"]["en"] == "grad_b = Σ grad" and bias["numbers"] == "Σ [[-8.1], [-16.3]] = -24.4"
    assert entry_for(records, "MeanBackward0")["numbers"] == "1 / 2 = [[0.5], [0.5]]"
    leaves = {r.labels[0]: r.explain["inputs"][0]["numbers"] for r in records if r.name == "AccumulateGrad"}
    assert leaves["W"] == "[[-73.3], [-97.7], [-122.1]]" and leaves["b"] == "-24.4"


# -- every rule, on an op built in plain torch ----------------------------------------------------------

LEAVES = """
a = torch.tensor([[0.5], [-1.5], [2.0]], requires_grad=True)
b = torch.tensor([[1.0, -2.0, 0.25, 3.0]], requires_grad=True)
x = torch.tensor([[0.3, -0.7, 1.2, 0.0], [2.0, -1.1, 0.4, 0.9], [-0.2, 0.6, -1.6, 1.3]], requires_grad=True)
m = torch.randn(4, 5, requires_grad=True)
v = torch.randn(4, requires_grad=True)
bb = torch.randn(2, 3, 4, requires_grad=True)
bm = torch.randn(2, 4, 5, requires_grad=True)
p = torch.rand(3, 4).clamp(0.05, 0.95).requires_grad_()
"""
OPS = {
    "AddBackward0": "a + b",
    "SubBackward0": "x - b",
    "RsubBackward0": "torch.rsub(x, b)",
    "MulBackward0": "a * b",
    "DivBackward0": "a / b",
    "AddBackward1": "torch.ops.aten.add.Scalar(x, 2.0)",
    "SubBackward1": "torch.ops.aten.sub.Scalar(x, 2.0)",
    "RsubBackward1": "1 - x",
    "MulBackward1": "torch.ops.aten.mul.Scalar(x, 3.0)",
    "DivBackward1": "torch.ops.aten.div.Scalar(x, 4.0)",
    "NegBackward0": "-x",
    "PowBackward0": "x ** 3",
    "PowBackward1": "p ** b",
    "PowBackward2": "2.0 ** x",
    "ExpBackward0": "x.exp()",
    "LogBackward0": "p.log()",
    "Log2Backward0": "p.log2()",
    "Log10Backward0": "p.log10()",
    "Log1PBackward0": "p.log1p()",
    "SqrtBackward0": "p.sqrt()",
    "RsqrtBackward0": "p.rsqrt()",
    "ReciprocalBackward0": "p.reciprocal()",
    "AbsBackward0": "x.abs()",
    "SinBackward0": "x.sin()",
    "CosBackward0": "x.cos()",
    "TanBackward0": "x.tan()",
    "ErfBackward0": "x.erf()",
    "SignBackward0": "x.sign()",
    "FloorBackward0": "x.floor()",
    "CeilBackward0": "x.ceil()",
    "RoundBackward0": "x.round()",
    "TruncBackward0": "x.trunc()",
    "ClampBackward1": "x.clamp(-0.5, 1.0)",
    "ClampMinBackward0": "torch.clamp_min(x, 0.1)",
    "ClampMaxBackward0": "torch.clamp_max(x, 0.1)",
    "WhereBackward0": "torch.where(x > 0, x, a)",
    "MaskedFillBackward0": "x.masked_fill(x > 1, 0.0)",
    "MaximumBackward0": "torch.maximum(x, a)",
    "MinimumBackward0": "torch.minimum(x, a)",
    "TanhBackward0": "x.tanh()",
    "SigmoidBackward0": "x.sigmoid()",
    "ReluBackward0": "x.relu()",
    "GeluBackward0": "F.gelu(x) + F.gelu(x, approximate='tanh')",
    "SiluBackward0": "F.silu(x)",
    "LeakyReluBackward0": "F.leaky_relu(x, 0.1)",
    "EluBackward0": "F.elu(x, 0.7)",
    "SoftplusBackward0": "F.softplus(x, beta=2.0, threshold=3.0)",
    "HardtanhBackward0": "F.hardtanh(x, -0.5, 0.5)",
    "LogSigmoidBackward0": "F.logsigmoid(x)",
    "SoftmaxBackward0": "x.softmax(1) * torch.arange(12.0).view(3, 4)",
    "LogSoftmaxBackward0": "x.log_softmax(0) * torch.arange(12.0).view(3, 4)",
    "SumBackward0": "x.sum()",
    "SumBackward1": "x.sum(1, keepdim=True) + x.sum((0, 1))",
    "MeanBackward0": "x.mean()",
    "MeanBackward1": "x.mean(0)",
    "MaxBackward0": "x.max(1).values",
    "MinBackward0": "x.min(0, keepdim=True).values",
    "MaxBackward1": "torch.tensor([1.0, 3.0, 3.0], requires_grad=True).max()",
    "MinBackward1": "x.min()",
    "AmaxBackward0": "x.amax(1)",
    "AminBackward0": "x.amin(0)",
    "MmBackward0": "x @ m",
    "BmmBackward0": "bb @ bm",
    "MvBackward0": "m.t() @ v",
    "DotBackward0": "v @ v",
    "AddmmBackward0": "torch.addmm(b, x, m[:, :4], beta=0.5, alpha=2.0)",
    "BaddbmmBackward0": "torch.baddbmm(bb[:, :, :1], bb, bm, beta=0.5, alpha=2.0)",
    "TBackward0": "x.t()",
    "TransposeBackward0": "bb.transpose(0, 2)",
    "PermuteBackward0": "bb.permute(2, 0, 1)",
    "ViewBackward0": "x.view(12)",
    "UnsafeViewBackward0": "x.t().reshape(12)",
    "ExpandBackward0": "a.expand(3, 5)",
    "SqueezeBackward0": "a.squeeze()",
    "SqueezeBackward1": "a.squeeze(1)",
    "SqueezeBackward2": "b.squeeze((0,))",
    "SqueezeBackward4": "F.linear(v, m.t())",
    "UnsqueezeBackward0": "x.unsqueeze(1)",
    "CatBackward0": "torch.cat([x, a, torch.ones(3, 2)], 1)",
    "StackBackward0": "torch.stack([x, x * 2])",
    "SelectBackward0": "x[1]",
    "SliceBackward0": "x[:, 1:4:2]",
    "IndexBackward0": "x[torch.tensor([0, 2, 0])] + x[x > 0].sum()",
    "IndexSelectBackward0": "x.index_select(1, torch.tensor([0, 0, 3]))",
    "GatherBackward0": "x.gather(1, torch.tensor([[0, 0], [1, 3], [2, 2]]))",
    "CloneBackward0": "x.clone()",
    "AliasBackward0": "torch.ops.aten.alias(x)",
    "ToCopyBackward0": "x.double()",
    "SplitBackward0": "x.split(3, 1)[0]",
    "SplitWithSizesBackward0": "x.split([1, 3], 1)[1]",
    "UnbindBackward0": "x.unbind(0)[1]",
    "UnsafeSplitWithSizesBackward0": "torch.ops.aten.unsafe_split_with_sizes(x, [1, 3], 1)[1]",
    "MseLossBackward0": "F.mse_loss(x, m[:3, :4])",
    "NllLossBackward0": "F.nll_loss(x.log_softmax(1), torch.tensor([0, 3, 1]))",
    "NllLoss2DBackward0": "F.nll_loss(bb.view(1, 2, 3, 4).log_softmax(1), torch.tensor([[[0, 1, 1, 0]] * 3]))",
    "BinaryCrossEntropyBackward0": "F.binary_cross_entropy(p, torch.rand(3, 4), weight=torch.rand(3, 4))",
    "BinaryCrossEntropyWithLogitsBackward0": "F.binary_cross_entropy_with_logits(x, torch.rand(3, 4), "
    "pos_weight=torch.rand(4))",
    "SmoothL1LossBackward0": "F.smooth_l1_loss(x, torch.zeros(3, 4), beta=0.5)",
    "HuberLossBackward0": "F.huber_loss(x, torch.zeros(3, 4), delta=0.5)",
}
VARIANTS = [  # other reductions, weights and shapes of the same node classes
    "F.mse_loss(x, m[:3, :4], reduction='sum')",
    "F.mse_loss(x, m[:3, :4], reduction='none')",
    "F.nll_loss(x.log_softmax(1), torch.tensor([0, 3, 1]), weight=torch.rand(4), ignore_index=3)",
    "F.nll_loss(x.log_softmax(1), torch.tensor([0, 3, 1]), reduction='sum')",
    "F.nll_loss(x.log_softmax(1), torch.tensor([0, 3, 1]), reduction='none')",
    "F.cross_entropy(x, torch.tensor([0, 3, 1]))",
    "F.cross_entropy(x, torch.tensor([0, 3, 1]), label_smoothing=0.1)",
    "F.binary_cross_entropy(p, torch.rand(3, 4), reduction='sum')",
    "F.binary_cross_entropy(p, torch.rand(3, 4).requires_grad_())",
    "F.binary_cross_entropy_with_logits(x, torch.rand(3, 4), reduction='none')",
    "x.max(dim=-1, keepdim=True).values",
    "x.mean((0, 1), keepdim=True)",
    "x @ v",
    "bb @ m",
    "F.linear(bb, m.t(), torch.randn(5))",
    "torch.einsum('ij,jk->ik', x, m)",
    "x.var(1) + x.std()",
    "x[1:, ::2]",
    "x[-1, -2:]",
    "x.sum(-1).sum() + x.amax(-2).sum() + x.mean(-1, keepdim=True).sum()",
    "bb.permute(-1, 0, 1).transpose(-1, -2)",
    "x.clamp(min=0.1) + x.clamp(max=0.1)",
    "x.chunk(2)[1]",
    "torch.cat([a, torch.ones(0)], 0) if False else torch.cat([x.flatten(), torch.ones(0)])",
    "(x * 3 + 1) / 2",
    "x ** 0.5",
    "x.square()",
    "x ** 1",
    "x ** 0",
    "F.dropout(x, 0.5)",
    "a / 2 - a * b",
    "F.embedding(torch.tensor([1, 2, 1]), m)",
    "torch.where(x > 0, x, 0.0)",
]


def run_op(expression: str) -> list[NodeRecord]:
    source = (
        LEAVES + f"out = {expression}\n(out * torch.linspace(-1, 2, out.numel()).view(out.shape)).sum().backward()\n"
    )
    records, _ = explain_source(source)
    return records


def assert_all_checked(records: list[NodeRecord]) -> None:
    assert not failed_checks(records), failed_checks(records)
    assert not unchecked(records), unchecked(records)
    for record in records:
        if record.explain is not None:
            msgspec.convert(record.explain, Explanation)  # the contract's shape, no unknown field


@pytest.mark.parametrize("node", sorted(OPS))
def test_rule_matches_pytorch(node):
    records = run_op(OPS[node])
    assert node in {r.name for r in records}, f"{OPS[node]} made {[r.name for r in records]}"
    record = by_name(records, node)
    assert record.explain is not None and record.explain["rule"] == node
    assert_all_checked(records)
    sent = [e for e in record.explain["inputs"] if e["check"] is not None]
    assert sent, "no slot of the node was checked"


@pytest.mark.parametrize("expression", VARIANTS)
def test_variant_matches_pytorch(expression):
    assert_all_checked(run_op(expression))


def test_every_rule_is_exercised():
    covered = set(OPS) | {"AccumulateGrad", "CopySlices", "EmbeddingBackward0"} | NN_RULES
    assert set(RULES) - covered == set(), "rules without a test"


# -- what the checks catch, and what the engine must not do ---------------------------------------------


def test_a_wrong_rule_fails_its_check(monkeypatch):
    wrong = Rule(
        "ExpBackward0",
        ("exp", "exp"),
        "{y} = exp({x})",
        "∂{y}/∂{x} = {x}",
        ("wrong", "틀림"),
        (Slot("self", "x", lambda c: c.grad * c.sym("result") * 1.001),),
    )
    monkeypatch.setitem(RULES, "ExpBackward0", wrong)
    record = by_name(run_op("x.exp()"), "ExpBackward0")
    check = record.explain["inputs"][0]["check"]
    assert check["ok"] is False and check["max_rel_err"] > 1e-4
    assert "does not match what PyTorch computed" in record.explain["words"]["en"]


def test_a_broken_rule_is_reported_not_raised(monkeypatch):
    def boom(ctx):
        raise ValueError("broken")

    monkeypatch.setitem(
        RULES, "ExpBackward0", Rule("ExpBackward0", ("e", "e"), "", "", ("", ""), (Slot("self", "x", boom),))
    )
    record = by_name(run_op("x.exp()"), "ExpBackward0")
    assert record.explain["inputs"][0]["check"]["ok"] is False
    assert "ValueError: broken" in record.explain["words"]["en"]


def test_explaining_changes_no_tensor_and_leaves_grad_mode_alone():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    grad_out, grad_in = torch.ones(2), torch.tensor([1.0, 2.0])  # each slot: grad · the other factor
    saved = {"self": x, "other": x}
    before = [t.clone() for t in (x, grad_out, grad_in)]
    explanation = explain_node(
        "MulBackward0", [grad_out], [grad_in, grad_in], saved, [x, x], ["t0", "t0"], ["x", "x"], 64, output_name="y"
    )
    assert all(torch.equal(a, b) for a, b in zip(before, (x, grad_out, grad_in), strict=True))
    assert x.grad is None and x.requires_grad and torch.is_grad_enabled() and y.grad_fn is not None
    assert [e["check"]["ok"] for e in explanation["inputs"]] == [True, True]
    assert explanation["inputs"][0]["to"] == "t0"


def test_missing_saved_value_gives_null_check_and_says_why():
    explanation = explain_node(
        "PowBackward0", [torch.ones(())], [torch.tensor(4.0)], {"exponent": 2}, [None], [None], ["x"], 64
    )
    entry = explanation["inputs"][0]
    assert entry["check"] is None and entry["numbers"] is None
    assert "Not checked" in explanation["words"]["en"] and "검사하지 못했습니다" in explanation["words"]["ko"]


def test_unknown_node_has_no_explanation():
    assert explain_node("FancyNewBackward7", [torch.ones(1)], [torch.ones(1)], {}, [None], [None], [None], 64) is None


def test_reused_leaf_names_both_paths_and_sums_them():
    records, _ = explain_source("x = torch.tensor(3.0, requires_grad=True)\ny = x * x\ny.backward()\n")
    leaf = entry_for(records, "AccumulateGrad")
    assert leaf["formula"]["en"] == "x.grad += grad(MulBackward0 slot 0) + grad(MulBackward0 slot 1)"
    assert leaf["numbers"] == "3 + 3 = 6" and leaf["check"]["ok"]
    assert "2 paths" in by_name(records, "AccumulateGrad").explain["words"]["en"]


def test_custom_function_is_named_as_user_code_and_not_checked():
    records, _ = explain_source((ROOT / "tests" / "corpus" / "custom_function.py").read_text())
    record = by_name(records, "CubeBackward")
    assert record.explain["inputs"][0]["check"] is None
    assert "Cube.backward" in record.explain["words"]["en"] and "직접 작성한 코드" in record.explain["words"]["ko"]
    assert record.explain["inputs"][0]["numbers"] == "Cube.backward(ctx, [1, 1])[0] = [3, 12]"


def test_large_tensors_show_shapes_and_first_entries():
    records = run_op("torch.randn(40, 50, requires_grad=True) * 2")
    numbers = entry_for(records, "MulBackward0")["numbers"]
    assert re.fullmatch(r"\(40×50\)\[.+, …\] · 2 = \(40×50\)\[.+, …\]", numbers), numbers


def test_korean_text_uses_the_tutorials_terms():
    records, _ = explain_source(seed("6_linear_2d.py"))
    korean = " ".join(r.explain["words"]["ko"] for r in records)
    assert "그래디언트" in korean and "리프 텐서" in korean and "역전파" in korean
    assert "gradient" not in korean


# -- a corpus of real models -------------------------------------------------------------------------------


@pytest.mark.xfail(
    strict=True,
    reason="the capture corpus's training loops and torch.func snippets: this tape reads saved values after an "
    "optimizer changed them, and unreadable torch.func values as NaN; the capture engine's own export reads them "
    "as of backward (the integration is under way)",
)
def test_corpus_coverage_and_checks(capsys):
    total = explained = checked = 0
    failures, missing, rows = [], [], []
    for path in CORPUS:
        records, _ = explain_source(path.read_text())
        failures += [f"{path.name}: {f}" for f in failed_checks(records)]
        missing += [f"{path.name}: {r.name}" for r in records if r.explain is None]
        count = len(records)
        done = sum(r.explain is not None for r in records)
        slots = [e for r in records if r.explain for e in r.explain["inputs"] if e["check"] is not None]
        total, explained, checked = total + count, explained + done, checked + len(slots)
        rows.append(f"{path.name:32s} {done:5d}/{count:<5d}")
    coverage = explained / total
    with capsys.disabled():
        print("\nexplained backward nodes per corpus snippet:\n  " + "\n  ".join(rows))
        print(
            f"corpus coverage: {explained}/{total} = {coverage:.1%}; {checked} checked gradients, "
            f"{len(failures)} failed; no rule: {sorted(set(missing))}"
        )
    assert not failures, failures
    assert coverage >= 0.95
    assert math.isfinite(coverage)


# -- more real models, in float64 so a rule's error shows plainly --------------------------------------------

MODELS = {
    "embedding_softmax": """
torch.set_default_dtype(torch.float64)
embed = nn.Embedding(10, 6, padding_idx=0)
tokens = torch.tensor([[1, 4, 0, 4], [2, 2, 9, 0]])
scores = embed(tokens) @ embed.weight.t()
loss = -scores.log_softmax(-1).gather(-1, tokens.unsqueeze(-1)).mean() + scores.softmax(-1).max()
loss.backward()
""",
    "cnn": """
torch.set_default_dtype(torch.float64)
net = nn.Sequential(nn.Conv2d(2, 4, 3, stride=2, padding=1), nn.BatchNorm2d(4), nn.GELU(), nn.MaxPool2d(2),
                    nn.Conv2d(4, 4, 1, groups=2), nn.Flatten(), nn.Linear(16, 3))
images = torch.randn(3, 2, 9, 9, requires_grad=True)
wave = nn.Conv1d(2, 3, 3, dilation=2)(torch.randn(2, 2, 11)).tanh().sum()
loss = F.cross_entropy(net(images), torch.tensor([0, 2, 1])) + wave
loss.backward()
net.eval()
F.softplus(net(images)).sum().backward()
""",
    "attention": """
torch.set_default_dtype(torch.float64)
q, k, v = (torch.randn(2, 3, 5, 4, requires_grad=True) for _ in range(3))
causal = F.scaled_dot_product_attention(q, k, v, is_causal=True)
masked = F.scaled_dot_product_attention(q, k, v, attn_mask=torch.randn(5, 5), scale=0.3)
keep = F.scaled_dot_product_attention(q, k, v, attn_mask=torch.rand(5, 5) > 0.3)
(causal.sum() + (masked * keep).sum()).backward()
""",
    "lstm_deep": """
torch.set_default_dtype(torch.float64)
lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
sequence = torch.randn(5, 2, 3, requires_grad=True)
output, (hidden, cell) = lstm(sequence)
(output.pow(2).sum() + cell.sum()).backward()
""",
    "mlp_float64": """
torch.set_default_dtype(torch.float64)
model = nn.Sequential(nn.Linear(4, 8), nn.LayerNorm(8), nn.SiLU(), nn.Dropout(0.2), nn.Linear(8, 1))
data = torch.randn(6, 4)
loss = F.binary_cross_entropy_with_logits(model(data).squeeze(1), torch.rand(6)) + F.l1_loss(model(data), data[:, :1])
loss.backward()
""",
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_is_explained_and_checked(name):
    try:
        records, _ = explain_source(MODELS[name])
    finally:
        torch.set_default_dtype(torch.float32)
    assert not failed_checks(records), failed_checks(records)
    assert not unchecked(records), unchecked(records)
    errors = [e["check"]["max_rel_err"] for r in records if r.explain for e in r.explain["inputs"] if e["check"]]
    assert errors and max(errors) < 1e-9  # float64: a right rule is exact to rounding
    assert all(r.explain is not None for r in records), [r.name for r in records if r.explain is None]
