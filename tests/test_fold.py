"""Folded views: repeated blocks and module calls as group nodes; the Run itself keeps every node."""

from pathlib import Path

import orjson
import pytest

from app import fold
from app.capture import capture, dumps
from app.fold import fold_run
from app.graph import Run, parse_run
from app.render import to_dot

CORPUS = Path(__file__).parent / "corpus"
DEEP_MLP = """
model = nn.Sequential(*[m for _ in range({n}) for m in (nn.Linear(4, 4), nn.Tanh())])
loss = model(torch.randn(2, 4)).sum()
loss.backward()
"""
RNN = """
cell = nn.RNNCell(3, 5)
h = torch.zeros(1, 5)
xs = torch.randn({n}, 1, 3)
for t in range({n}):
    h = cell(xs[t], h)
h.sum().backward()
"""


def run_of(code: str) -> Run:
    return parse_run(dumps(capture(code, max_nodes=1_000_000, max_elements=64, max_output_bytes=100_000)))


def groups(graph) -> list:
    return [n for n in graph.nodes if n.kind == "group"]


def assert_a_view_of(folded: Run, run: Run) -> None:
    """Every node of the run is shown or inside exactly one group, unchanged; edges join shown nodes."""
    for view in ("forward", "backward"):
        whole, shown = getattr(run, view), getattr(folded, view)
        by_id = {n.id: n for n in whole.nodes}
        hidden = [m for g in groups(shown) for m in g.members]
        visible = [n for n in shown.nodes if n.kind != "group"]
        assert sorted(hidden + [n.id for n in visible]) == sorted(by_id)
        assert all(by_id[n.id] == n for n in visible)
        ids = {n.id for n in shown.nodes}
        assert all(e.source in ids and e.target in ids for e in shown.edges)


@pytest.mark.parametrize(
    ("code", "count", "module"), [(DEEP_MLP.format(n=200), 198, "model.#"), (RNN.format(n=60), 58, "cell")]
)
def test_repeated_blocks_fold_into_one_node_with_their_count(code, count, module):
    run = run_of(code)
    folded = fold_run(run, budget=100)
    [forward_group] = groups(folded.forward)
    [backward_group] = groups(folded.backward)
    assert forward_group.reason == "repeat" and forward_group.count == count and forward_group.module == module
    assert backward_group.id == forward_group.id  # the two panes' groups answer to one id
    assert len(folded.forward.nodes) < 40 and len(folded.backward.nodes) < 40
    assert folded.fold.groups == 1 and run.fold is None
    assert_a_view_of(folded, run)
    # the first and the last block stay whole: the loss and the first layer's weight keep their values
    shown = {n.var for n in folded.forward.nodes if n.kind == "tensor"}
    assert {"loss", "model.0.weight"} <= shown or {"h", "cell.weight_ih"} <= shown


def test_expanding_a_group_shows_its_next_ten_repetitions_and_folds_the_rest():
    run = run_of(DEEP_MLP.format(n=50))
    expand, sizes, counts = set(), [], []
    while True:
        view = fold_run(run, budget=100, expand=frozenset(expand))
        assert_a_view_of(view, run)
        sizes.append(len(view.forward.nodes))
        repeats = [g for g in groups(view.forward) if g.reason == "repeat"]
        if not repeats:
            break
        [group] = repeats
        counts.append(group.count)
        expand.add(group.id)  # as a click on the group in the page does
    assert counts == [48, 38, 28, 18, 8]  # 50 layers: the first and the last always shown
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)  # each click shows more
    assert len(view.forward.nodes) == len(run.forward.nodes)  # all of it, in the end
    assert fold_run(run, budget=1000) is run  # within the budget the view is the run


def test_modules_fold_past_the_budget():
    run = run_of((CORPUS / "transformer_encoder.py").read_text())
    folded = fold_run(run, budget=10)
    made = groups(folded.forward)
    assert made and all(g.reason == "module" and g.count == 1 for g in made)
    assert len(folded.forward.nodes) < len(run.forward.nodes)
    assert_a_view_of(folded, run)
    assert fold_run(run, budget=100_000) == run  # within the budget nothing folds


def test_each_call_of_a_module_is_a_group_of_its_own():
    code = (
        "class Cell(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.lin = nn.Linear(3, 3)\n"
        "    def forward(self, x, h):\n"
        "        return torch.tanh(self.lin(x) + h)\n"
        "cell = Cell()\n"
        "h = torch.zeros(1, 3)\n"
        "for t in range(12):\n"
        "    h = cell(torch.ones(1, 3), h)\n"
        "h.sum().backward()\n"
    )
    run = run_of(code)
    assert [op.calls for op in run.forward.nodes if op.kind == "op"][:3] == [[1, 2], [1], [1]]  # lin, add, tanh
    [repeat] = groups(fold_run(run, budget=30).forward)
    opened = fold_run(run, budget=30, expand=frozenset({repeat.id}))  # the steps again, each call one group
    made = groups(opened.forward)
    assert [g.label for g in made] == ["cell (3 ops)"] * 12 and all(g.reason == "module" for g in made)
    assert_a_view_of(opened, run)


def test_folded_views_draw_with_their_groups():
    folded = fold_run(run_of(RNN.format(n=20)), budget=50)
    for view in ("forward", "backward"):
        dot = to_dot(folded, view)
        assert "lavender" in dot and "×18" in dot


def test_thousands_of_repeated_stretches_fold_without_recursion():
    """1536 modules of other names, each three multiplications: every stretch between two repeats is looked at in a
    loop (one call per stretch overflowed Python's stack, and the page of such a run answered 500)."""
    code = """
class Triple(nn.Module):
    def forward(self, t):
        for _ in range(3):
            t = t * 1.0
        return t
net = nn.Module()
names = [a + b + c for a in "abcdefghijklmnop" for b in "abcdefghijklmnop" for c in "abcdef"]
for name in names:
    net.add_module(name, Triple())
y = torch.ones(1, requires_grad=True)
for name in names:
    y = getattr(net, name)(y)
y.sum().backward()
"""
    run = run_of(code)
    folded = fold_run(run, budget=1000)
    assert groups(folded.forward) and len(folded.forward.nodes) < len(run.forward.nodes)
    assert_a_view_of(folded, run)


def test_backward_nodes_without_a_tensor_follow_their_senders_in_any_listed_order():
    """A chain of tensorless nodes listed last to first (as a forged Run may list them) all join the group of the node
    that sends them their gradient: each is decided once its senders are, not one per pass over them all."""
    summary = {"shape": [], "dtype": "float32", "data": 1.0, "truncated": False}
    count = 3000
    tensor = {"kind": "tensor", "id": "t9", "var": None, "line": 1, "shape": [], "dtype": "float32"}
    tensor |= {"requires_grad": True, "is_leaf": False, "version": 0, "value": summary, "grad": None, "grad_fn": "b0"}
    ops = [{"kind": "op", "id": f"o{i}", "op": "mul", "line": 1} for i in range(1, 6)]
    backward = [{"kind": "grad_fn", "id": "b0", "name": "MulBackward0", "tensor": "t9", "grad_in": [], "grad_out": []}]
    backward += [
        {"kind": "grad_fn", "id": f"b{i}", "name": "TBackward0", "tensor": None, "grad_in": [], "grad_out": []}
        for i in range(count, 0, -1)
    ]
    for node in backward:
        node["order"] = None
    run = parse_run(
        orjson.dumps(
            {
                "id": "forged",
                "status": "ok",
                "error": None,
                "stdout": "",
                "forward": {"nodes": [*ops, tensor], "edges": [{"source": "o2", "target": "t9"}]},
                "backward": {
                    "nodes": backward,
                    "edges": [
                        {"source": f"b{i}", "target": f"b{i + 1}", "input_nr": 0, "grad": None} for i in range(count)
                    ],
                },
            }
        )
    )
    folded = fold_run(run, budget=3)
    [group] = groups(folded.backward)
    assert len(group.members) == count + 1


def forged_ops(ops: list[dict]) -> Run:
    return parse_run(orjson.dumps({"status": "ok", "forward": {"nodes": ops, "edges": []}, "backward": {"nodes": []}}))


def test_a_forged_run_of_thousands_of_short_repeats_is_searched_a_bounded_number_of_times(monkeypatch):
    """40k ops in short repeats, each followed by an op of its own line: every repeat found meant looking at all that
    followed it again, and folding the view held a drawing slot for 39 s. The search looks at each op about
    REPEAT_SCANS times; what it leaves is still folded by modules past the budget."""
    ops = []
    while len(ops) < 40_000:
        ops += [{"kind": "op", "id": f"o{len(ops) + k}", "op": "add", "line": 1} for k in range(3)]
        ops.append({"kind": "op", "id": f"o{len(ops)}", "op": "mul", "line": len(ops) + 2})
    looked = []
    real = fold._longest_repeat
    monkeypatch.setattr(fold, "_longest_repeat", lambda s, low, high: looked.append(high - low) or real(s, low, high))
    folded = fold_run(forged_ops(ops), budget=1000)
    assert sum(looked) + fold.SCAN_OPS * len(looked) <= fold.REPEAT_SCANS * (len(ops) + fold.SCAN_OPS) + len(ops)
    assert groups(folded.forward)


def test_a_forged_run_nested_thousands_of_modules_deep_folds_a_bounded_number_of_depths(monkeypatch):
    """3000 ops, each in calls nested one deeper than the last: each depth was a pass over every op, each comparing
    call lists thousands long, and the view held a drawing slot for 80 s."""
    ops = [{"kind": "op", "id": f"o{i}", "op": "add", "line": i + 1, "calls": [i + 1] * (i + 1)} for i in range(3000)]
    depths = []
    real = fold._module_calls
    monkeypatch.setattr(fold, "_module_calls", lambda o, depth, *a: depths.append(depth) or real(o, depth, *a))
    fold_run(forged_ops(ops), budget=1000)
    assert len(depths) <= fold.MODULE_DEPTHS and depths == sorted(depths, reverse=True)


def test_a_backward_group_says_which_passes_its_nodes_ran_in():
    """A training loop folded: its first and last steps shown, the steps between in one group that also sends to the
    leaves' AccumulateGrad. The page's step of pass 1 said a leaf's gradient came from that group: the group now
    lists the passes its nodes ran in, and the forward group none."""
    code = (
        "w = torch.zeros(1, 1, requires_grad=True)\nX = torch.ones(4, 1)\n"
        "for epoch in range(12):\n    loss = ((X @ w - 1) ** 2).mean()\n    w.grad = None\n    loss.backward()\n"
        "    with torch.no_grad():\n        w -= 0.1 * w.grad\n"
    )
    run = run_of(code)
    folded = fold_run(run, budget=20)
    [forward_group] = groups(folded.forward)
    [backward_group] = groups(folded.backward)
    by_id = {n.id: n for n in run.backward.nodes}
    ran = sorted({r.backward_pass for m in backward_group.members for r in (by_id[m], *(by_id[m].earlier_runs or ()))})
    assert backward_group.passes == ran and 1 not in ran and run.backward_passes not in ran, ran
    assert forward_group.passes == []
    assert_a_view_of(folded, run)
