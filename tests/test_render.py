"""DOT, SVG and PNG from a Run: valid Graphviz input, labels in micrograd's manner, limits on `dot`."""

import json
import re
import subprocess
import time

import pytest

from app.apart import Apart
from app.capture import capture, dumps
from app.graph import InvalidRun, Run, parse_run
from app.render import (
    RenderError,
    _graphviz,
    _labels_placed,
    format_number,
    format_summary,
    place_labels,
    render,
    to_dot,
)
from app.sandbox import graphviz_command
from app.settings import Settings

from .helpers import CAPTURE as LIMITS
from .helpers import ROOT, cpu_clock, needs_jail
from .helpers import SEED_DIR as SEED


def run_of(source: str, **limits) -> Run:
    return parse_run(dumps(capture(source, **{**LIMITS, **limits})))


def test_forward_labels_show_name_shape_value_and_grad():
    dot = to_dot(run_of((SEED / "1_scalar.py").read_text()), "forward")
    assert "{x|() float32|data 2|grad 4}" in dot and "{y|() float32|data 4|grad 1}" in dot


@pytest.mark.parametrize(("call", "green"), [("loss = h.sum()\nloss.backward()\n", {"loss"}), ("", {"h", "c"})])
def test_a_result_backward_did_not_start_from_is_not_drawn_where_backward_starts(call, green):
    """An LSTM cell's c, a result the loss is not made of, was drawn green as "result, where backward starts" with
    `grad None` on it, beside the loss backward did start from: it is drawn as any other tensor. Before any
    backward() every result is where backward may start."""
    source = "torch.manual_seed(0)\ncell = nn.LSTMCell(1, 1)\nh, c = cell(torch.ones(1, 1))\n" + call
    dot = to_dot(run_of(source), "forward")
    lines = dot.splitlines()
    drawn = {
        n for n in ("h", "c", "loss") if any(f'label="{{{n}|' in line and "darkolivegreen1" in line for line in lines)
    }
    assert drawn == green, dot


def test_a_normalizations_saved_statistics_are_labelled_by_what_they_hold():
    """A batch norm's backward node said `saved result1: [...]`, `saved result2: [...]`, torch's numbered names: they
    are its mean and invstd (the values plain torch computes), `mean (result1)`; in eval mode, where they are empty,
    nothing is said of them."""
    source = (
        "bn = nn.BatchNorm1d(2)\n{mode}\nx = torch.tensor([[1.0, 2.0], [3.0, 6.0]], requires_grad=True)\n"
        "bn(x).sum().backward()\n"
    )
    dot = to_dot(run_of(source.format(mode="bn.train()")), "backward")
    assert "saved mean (result1): [2, 4]|saved invstd (result2): [0.99999, 0.5]" in dot  # (1/√(var + eps))
    dot = to_dot(run_of(source.format(mode="bn.eval()")), "backward")
    assert "result1" in dot and "mean (result1)" not in dot


def test_cuts_are_dashed_and_grey():
    dot = to_dot(run_of((SEED / "4_detach.py").read_text()), "forward")
    detach_line = next(line for line in dot.splitlines() if "detach" in line and "label" in line)
    assert "dashed" in detach_line and "gray90" in detach_line


def test_backward_labels_show_order_and_edges_carry_gradients():
    dot = to_dot(run_of((SEED / "5_linear_1d.py").read_text()), "backward")
    assert "PowBackward0 (loss)|#1|grad 1" in dot and "AccumulateGrad (w)" in dot and '[label="-4"' in dot


def test_the_op_a_custom_function_returned_says_whose_apply_it_ran_in():
    """The backward graph has one SquareBackward node for `Square.apply(x)`: the op of forward() that made its result
    is drawn as the Function's, and an op of the snippet's own stays as it is."""
    source = (
        "class Square(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, x):\n"
        "        ctx.save_for_backward(x)\n"
        "        return x * x\n"
        "    @staticmethod\n"
        "    def backward(ctx, g):\n"
        "        x, = ctx.saved_tensors\n"
        "        return 2 * x * g\n"
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "y = Square.apply(x)\n"
        "(y * 3).sum().backward()\n"
    )
    labels = re.findall(r'label="([^"]*)" shape="ellipse"', to_dot(run_of(source), "forward"))
    assert labels == ["Square.apply → mul", "mul", "sum"]


def test_a_backward_node_with_no_tensor_is_titled_by_what_its_explanation_calls_its_output():
    """F.linear's transpose of a weight, and what a backward with create_graph=True computed (3 · x² for x ** 3):
    their nodes had a bare name, where the step's explanation spoke of `m.weightᵀ` and `x² · 3`."""
    dot = to_dot(run_of("m = nn.Linear(2, 1)\nm(torch.ones(1, 2)).sum().backward()\n"), "backward")
    assert "TBackward0 (m.weightᵀ)" in dot
    source = "x = torch.tensor(2.0, requires_grad=True)\ndy, = torch.autograd.grad(x ** 3, x, create_graph=True)\n"
    dot = to_dot(run_of(source + "dy.backward()\n"), "backward")
    assert "MulBackward1 (x² · 3)" in dot and "PowBackward0 (x²)" in dot


def test_korean_names_and_record_characters_survive(tmp_path):
    run = run_of("가중치 = torch.tensor([1.0, 2.0], requires_grad=True)\n손실 = (가중치 * 2).sum()\n손실.backward()\n")
    dot = to_dot(run, "forward")
    assert "가중치" in dot
    svg = render(dot, "svg", Settings(render_timeout_s=30)).decode()
    assert "가중치" in svg
    png = render(dot, "png", Settings(render_timeout_s=30))
    assert png.startswith(b"\x89PNG")


def test_a_training_loops_steps_are_drawn_left_to_right_in_order():
    """Graphviz put a loop's last step between the first two, and its backward passes in the order 2, 3, 1; edges
    leave a forward node and come into a backward node in the order the code made them, so the steps read left to
    right in both graphs."""
    source = (
        "w = torch.tensor([1.0, -1.0], requires_grad=True)\nx = torch.tensor([[1.0, 2.0], [3.0, 4.0]])\n"
        "y = torch.tensor([1.0, 0.0])\nopt = torch.optim.SGD([w], lr=0.1)\nfor step in range(3):\n"
        "    opt.zero_grad()\n    loss = ((x @ w - y) ** 2).mean()\n    loss.backward()\n    opt.step()\n"
    )
    run = run_of(source)
    losses = [n.id for n in run.forward.nodes if getattr(n, "var", None) == "loss"]
    roots = [n.id for n in sorted(run.backward.nodes, key=lambda n: n.backward_pass or 0) if n.name == "MeanBackward0"]
    assert len(losses) == len(roots) == 3
    for view, ids in (("forward", losses), ("backward", roots)):  # (the backward graph had passes 2, 3, 1)
        svg = render(to_dot(run, view), "svg", Settings(render_timeout_s=30)).decode()
        left = []
        for node_id in ids:
            group = re.search(rf"<title>{node_id}</title>\s*<polygon[^>]*points=\"([-\d.]+)", svg)
            assert group, node_id
            left.append(float(group[1]))
        assert left == sorted(left), (view, left)


def _edges_drawn(svg: str) -> list[tuple[list[float], list[float]]]:
    """Each edge of Graphviz's SVG: the numbers of its path, and the x of each line of its label."""
    edges = []
    for block in re.findall(r'<g id="edge\d+" class="edge">(.*?)</g>', svg, re.DOTALL):
        path = re.search(r' d="([^"]*)"', block)
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.group(1))] if path else []
        edges.append((numbers, [float(x) for x in re.findall(r'<text[^>]* x="(-?[\d.]+)"', block)]))
    return edges


@pytest.mark.parametrize("seed", ["1_scalar", "5_linear_1d", "6_linear_2d"])
def test_the_servers_pictures_move_each_gradient_off_its_arrow_as_the_page_does(seed: str):
    """dot puts an edge label's left edge on its line: the server's SVG and PNG drew the tutorial's `4` touching its
    arrow, where the page moves each label clear (static/js/pane.js). The pictures are drawn as dot lays the graph out,
    each label moved right as the page moves it (by 4 units or more beside a straight line); nodes and arrows stay."""
    dot = to_dot(run_of((SEED / f"{seed}.py").read_text()), "backward")
    plain = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True, check=True).stdout.decode()
    moved = render(dot, "svg", Settings(render_timeout_s=30)).decode()
    before, after = _edges_drawn(plain), _edges_drawn(moved)
    assert len(before) == len(after) >= 1
    moves: list[float] = []
    for (path, xs), (path_now, xs_now) in zip(before, after, strict=True):
        assert path_now == pytest.approx(path, abs=0.05)  # (the arrow as dot drew it)
        # (right of a straight arrow by 4 units, and of its head's corner under it; less where the line leans away)
        assert xs and len(xs_now) == len(xs) and all(0 <= now - x <= 40 for x, now in zip(xs, xs_now, strict=True)), (
            xs,
            xs_now,
        )
        moves.append(xs_now[0] - xs[0])
    assert max(moves) >= 4, moves
    if seed == "1_scalar":  # (the `4` of pane.test.js: its head's corner 3.5 right of the line, and 4 more)
        assert moves == [pytest.approx(7.5, abs=0.2)]
    nodes = re.findall(r'<g id="node\d+" class="node">.*?points="([^"]*)"', plain, re.DOTALL)
    assert nodes == re.findall(r'<g id="node\d+" class="node">.*?points="([^"]*)"', moved, re.DOTALL)


def test_a_wide_rank_of_labelled_arrows_is_drawn_in_time_and_never_holds_the_server():
    """600 leaves stacked into one node, each arrow with its gradient: placing their labels looked at every point of
    every arrow for every label (17 s, then the picture refused as too slow, with the server's Python busy all that
    time). Now a few seconds; and past half the time left the labels stay where dot put them, the picture drawn."""
    code = "xs = [torch.ones(1, requires_grad=True) for _ in range(600)]\ntorch.stack(xs).sum().backward()\n"
    dot = to_dot(run_of(code), "backward")
    started = time.monotonic()
    assert render(dot, "svg", Settings(render_timeout_s=30)).startswith(b"<?xml")
    assert time.monotonic() - started < 10
    layout = _graphviz(dot, "json", Settings(render_timeout_s=30), time.monotonic() + 30)
    with cpu_clock() as spent:
        placed = _labels_placed(dot, layout, time.monotonic() + 30)
        in_place = spent()
    assert placed is not None
    with cpu_clock() as spent:
        assert _labels_placed(dot, layout, time.monotonic()) is None  # (out of time: dot's own places)
        assert spent() < in_place / 2  # (the clock looked at as the arrows' points are read)
    # the server places a big layout's labels in a process apart: its interpreter is not held meanwhile (a wider fan's
    # took the server's thread 2.3 s, and other clients' /healthz went from 6 ms to 133 ms at the 95th percentile)
    apart = Apart(1, len(layout))
    try:
        with cpu_clock() as spent:
            assert place_labels(dot, layout, time.monotonic() + 30, apart) == placed
            assert spent() < in_place / 5, in_place
    finally:
        apart.stop()


def test_render_is_killed_after_its_time_limit():
    big = "digraph {" + " ".join(f"n{i} -> n{i + 1};" for i in range(20000)) + "}"
    with pytest.raises(RenderError, match="longer than"):
        render(big, "svg", Settings(render_timeout_s=0.05))


def test_unknown_view_and_format_are_refused():
    run = run_of("x = 1\n")
    with pytest.raises(ValueError):
        to_dot(run, "sideways")
    with pytest.raises(ValueError):
        render("digraph {}", "gif", Settings())


def test_large_values_show_statistics():
    run = run_of("big = torch.arange(1000.0, requires_grad=True)\n(big * 2).sum().backward()\n", max_elements=10)
    node = next(n for n in run.forward.nodes if getattr(n, "var", None) == "big")
    assert format_summary(node.value) == "min 0 max 999 mean 499.5"


# -- Graphviz in its jail ------------------------------------------------------------------------------------------

needs_root = needs_jail  # Graphviz's jail, like the sandbox, needs root and bubblewrap


@needs_root
def test_graphviz_reads_no_file_of_the_host(tmp_path):
    """DOT that asks for an image (or a shape file) of the host draws as if it were not there: the jail shows
    Graphviz only /usr and its fonts."""
    secret = tmp_path / "secret.png"
    secret.write_bytes(subprocess.run(["dot", "-Tpng"], input=b"digraph { secret }", capture_output=True).stdout)
    secret.chmod(0o600)
    asks = 'digraph {{ a [label="", image="{}"]; b [shape=custom, shapefile="{}"] }}'
    unjailed = subprocess.run(["dot", "-Tpng"], input=asks.format(secret, secret).encode(), capture_output=True)
    nothing = render(asks.format("/nonexistent.png", "/nonexistent.png"), "png", Settings())
    assert unjailed.stdout != nothing  # plain Graphviz, as root, embeds the file
    assert render(asks.format(secret, secret), "png", Settings()) == nothing


@needs_root
def test_graphviz_memory_is_bounded():
    """A picture too big for GRADWALK_RENDER_MEMORY_MB is refused at once (unbounded, this one took 3 GiB)."""
    huge = "digraph { a [width=300, height=300, fixedsize=true] }"
    started = time.monotonic()
    with pytest.raises(RenderError, match="GRADWALK_RENDER_MEMORY_MB"):
        render(huge, "png", Settings(render_memory_mb=256, render_timeout_s=30))
    assert time.monotonic() - started < 10


@needs_root
def test_graphviz_runs_as_its_own_uid_with_no_capabilities():
    command = graphviz_command(Settings(sandbox_uid=62000), "svg", jailed=True)
    assert "--reuid=61999" in command and "--bounding-set=-all" in command and "--unshare-net" in command
    assert [arg for arg in command if arg.startswith("--as=")] == [f"--as={512 * 1024 * 1024}"]


def test_numbers_read_the_same_in_every_label_and_in_the_page():
    """The examples the page's inspector must also write alike (tests/js/format.test.js reads the same file)."""
    for value, text in json.loads((ROOT / "tests" / "numbers.json").read_text()):
        assert format_number(value) == text, value
    run = run_of("big = torch.tensor(123456.0, requires_grad=True)\n(big * 2).backward()\n")
    assert "{big|() float32|data 123456|grad 2}" in to_dot(run, "forward")


def test_small_tensors_are_written_whole_on_nodes_and_edges():
    """X.grad (2x3) and W.grad (3x1) of the tutorial: every value, no "…", long rows one under the other."""
    run = run_of((SEED / "6_linear_2d.py").read_text())
    forward, backward = to_dot(run, "forward"), to_dot(run, "backward")
    assert "|grad [[-73.3], [-97.7], [-122.1]]}" in forward  # W.grad, on one line
    assert "|grad\\l[[-0.81, -1.62, -2.43],\\l\u00a0[-1.63, -3.26, -4.89]]\\l}" in forward  # X.grad, row by row
    assert '[label="[[-73.3], [-97.7], [-122.1]]"' in backward
    assert "…" not in forward.replace("(…) ** 2", "") and "…" not in backward.replace("(…) ** 2", "")
    texts = render(forward, "svg", Settings(render_timeout_s=30)).decode()
    assert "4.89]]" in texts and "122.1]]" in texts  # (Graphviz writes a minus as &#45;)


def test_the_whole_setting_bounds_what_is_written_out():
    run = run_of("x = torch.arange(16.0, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n")
    assert "…" in to_dot(run, "forward", whole_elements=9)
    assert "…" not in to_dot(run, "forward", whole_elements=16)


def test_unnamed_tensors_are_labelled_by_their_expression_never_an_id():
    dot = to_dot(run_of((SEED / "6_linear_2d.py").read_text()), "forward")
    assert '"{X @ W|(2, 1) float32' in dot and '"{(y_pred - y_true) ** 2|' in dot
    assert not re.search(r'label="\{t\d+\|', dot)


@pytest.mark.parametrize("view", ["forward", "backward"])
def test_a_run_stored_without_expr_is_labelled_as_one_with_it(view):
    source = (SEED / "6_linear_2d.py").read_text()
    run = run_of(source)
    drawn = to_dot(run, view)
    for node in run.forward.nodes:
        if getattr(node, "expr", None) is not None:
            node.expr = None
    run.code = source
    assert "X @ W" in drawn and to_dot(run, view) == drawn


def test_dashes_only_for_cuts_and_backward_edges_are_solid():
    no_grad = to_dot(run_of((SEED / "3_no_grad.py").read_text()), "forward")
    assert "dashed" in no_grad  # x ** 2 under no_grad: its input requires grad, the result does not: a cut
    plain = run_of("with torch.no_grad():\n    y = torch.ones(2) * 2\nz = torch.ones(2, requires_grad=True) * 3\n")
    assert "dashed" not in to_dot(plain, "forward")  # no_grad with nothing to cut: no dashes
    detach = to_dot(run_of((SEED / "4_detach.py").read_text()), "backward")
    assert "dashed" not in detach and "gray60" not in detach  # never ran: plain arrows, the way gradients will go
    unreached = run_of("x = torch.tensor(2.0, requires_grad=True)\na = x * 3\nb = x * 4\nboth = a + b\na.backward()\n")
    dot = to_dot(unreached, "backward")
    assert "dashed" not in dot and 'color="gray60"' in dot  # backward ran, but not through `both`


def test_a_gradient_autograd_grad_returned_to_the_code_is_dashed_not_drawn_as_added_to_grad():
    """The higher-order example: `torch.autograd.grad(y, x, create_graph=True)` sends 12 along an arrow into x's
    AccumulateGrad, and `dy_dx.backward()` 12 more, yet x.grad is 12: the first arrow, a gradient handed back to the
    code, was drawn as the second, as if both were added. It is dashed; the other arrows of both passes are solid."""
    run = run_of((ROOT / "app" / "examples" / "higher_order.py").read_text())
    assert run.backward_calls == ["grad", "backward"]
    accumulate = next(n.id for n in run.backward.nodes if n.name == "AccumulateGrad")
    returned = next(n.id for n in run.backward.nodes if n.backward_pass == 1)  # (y's PowBackward0, autograd.grad's)
    edges = [line for line in to_dot(run, "backward").splitlines() if " -> " in line]
    assert len(edges) == 4 and sum(f'-> "{accumulate}"' in line for line in edges) == 2, edges
    assert [line for line in edges if "dashed" in line] == [
        f'\t"{returned}" -> "{accumulate}" [label="12" style="dashed"]'
    ]
    kept = run_of("x = torch.tensor(2.0, requires_grad=True)\ny = x ** 3\ny.backward()\n")
    assert "dashed" not in to_dot(kept, "backward")


def test_backward_nodes_carry_their_formula_in_the_language_asked_for():
    run = run_of((SEED / "6_linear_2d.py").read_text())
    plain = to_dot(run, "backward")
    english, korean = to_dot(run, "backward", formulas="en"), to_dot(run, "backward", formulas="ko")
    assert "∂L/∂W" not in plain and "∂L/∂X = grad · Wᵀ\\l∂L/∂W = Xᵀ · grad\\l" in english
    assert "X.grad += Σ grad over paths" in english and "X.grad += Σ 경로별 그래디언트" in korean
    assert (
        "saved W (mat2):" in english and "저장 W (mat2):" in korean and "saved " not in korean
    )  # (a word of the page)
    assert to_dot(run, "forward", formulas="en") == to_dot(run, "forward")  # (only backward nodes have formulas)
    # under the title and the order, above the gradients the page hides while stepping
    mm = next(line for line in english.splitlines() if "MmBackward0" in line)
    assert mm.index("#") < mm.index("∂L/∂X") < mm.index("grad [[")
    with pytest.raises(ValueError):
        to_dot(run, "backward", formulas="fr")


def test_a_long_formula_is_cut_to_a_few_short_lines():
    run = run_of((SEED / "6_linear_2d.py").read_text())
    long = "∂L/∂a = " + "x" * 100
    for node in run.backward.nodes:
        if node.explain is not None:
            node.explain.formula.en = ", ".join([long, "b", "c", "d", "e"])
    dot = to_dot(run, "backward", formulas="en")
    assert "x" * 100 not in dot and "∂L/∂a\\l= " + "x" * 30 in dot and "x" * 30 + "…" in dot  # broken at `=`, cut
    assert "\\lb,\\l…\\l" in dot and "\\lc" not in dot
    pow_line = next(
        line
        for line in to_dot(run_of((SEED / "6_linear_2d.py").read_text()), "backward", formulas="en").splitlines()
        if "PowBackward0" in line
    )
    assert "∂((y_pred - y_true) ** 2)/∂(y_pred - y_true)\\l= 2 · (y_pred - y_true)\\l" in pow_line  # two lines


def test_a_formula_breaks_only_between_its_parts_never_inside_brackets():
    """NLLLoss's local derivative `∂loss/∂x[i, c] = …` was split at the comma of its index, drawn as `∂loss/∂x[i`
    over `c] = -1/N …` (the MLP example's first backward node)."""
    source = (
        "logits = torch.randn(5, 3, requires_grad=True)\n"
        "loss = F.cross_entropy(logits, torch.tensor([0, 2, 1, 1, 0]))\nloss.backward()\n"
    )
    dot = to_dot(run_of(source), "backward", formulas="en")
    nll = next(line for line in dot.splitlines() if "NllLossBackward0" in line)
    assert "∂loss/∂(log_softmax(logits)[i, c])" in nll and "[i\\l" not in nll, nll
    mm = to_dot(run_of((SEED / "6_linear_2d.py").read_text()), "backward", formulas="en")
    assert "∂L/∂X = grad · Wᵀ\\l∂L/∂W = Xᵀ · grad\\l" in mm  # (two parts: still a line each)


def test_a_formula_broken_at_its_comma_keeps_the_comma():
    """`grad_x = grad at [1:], 0 elsewhere` was drawn as `grad_x = grad at [1:]` over `0 elsewhere`: its comma,
    where the line breaks inside one formula, was dropped."""
    run = run_of(
        "x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)\n(x[1:, 0] ** 2).sum().backward()\n"
    )
    english, korean = to_dot(run, "backward", formulas="en"), to_dot(run, "backward", formulas="ko")
    assert "grad_x = grad at [1:],\\l0 elsewhere\\l" in english
    assert "grad_x = [1:] 자리는 grad,\\l나머지는 0\\l" in korean


def test_dot_stays_about_the_size_of_the_run_whatever_edges_a_forged_run_has():
    """A node used more than SHARED_USES times is drawn once per use, its label written again each time: a forged
    Run of one node with a long label and many edges into it made DOT thousands of times its size (1.4 MB of Run,
    4 GB of DOT). The copies' text is bounded (COPY_CHARS); a weight an unrolled loop reads is still copied."""
    from app.render import COPY_CHARS, LABEL_FIELDS

    value = {"shape": [], "dtype": "float32", "data": 1.0, "truncated": False}
    tensor = {"id": "t1", "kind": "tensor", "var": "v" * 1000, "line": 1, "shape": [], "dtype": "float32"}
    tensor |= {"requires_grad": True, "is_leaf": True, "version": 0, "value": value, "grad": value, "grad_fn": None}
    saved = [{"name": "s" * 1000, "tensor": "t1"}] * 200  # (each field cut to LABEL_LINE_CHARS on its label)
    leaf = {"id": "b0", "kind": "grad_fn", "name": "n" * 1000, "tensor": "t1", "grad_in": [], "grad_out": [value]}
    uses = {"id": "b1", "kind": "grad_fn", "name": "x", "tensor": None, "grad_in": [], "grad_out": [], "order": 0}
    edges = [{"source": "b1", "target": "b0", "input_nr": 0, "grad": None}] * 10_000
    forged = {
        "status": "ok",
        "forward": {"nodes": [tensor], "edges": []},
        "backward": {"nodes": [{**leaf, "order": 1, "saved": saved}, uses], "edges": edges},
    }
    data = json.dumps(forged).encode()
    dot = to_dot(parse_run(data), "backward")
    assert len(dot) < 2 * len(data) + COPY_CHARS
    assert dot.count(" -> ") == 10_000 and '"b0~' not in dot  # every edge, into the one node
    assert dot.count("saved ") == LABEL_FIELDS + 1 and f"saved … {200 - LABEL_FIELDS} more" in dot
    # a node that saved 400,000 references to one tensor (each 28 bytes of the snippet's result) made a 203 MB DOT of
    # a 20 MB run: its label holds the first few
    many = {**forged, "backward": {"nodes": [{**leaf, "order": 1, "saved": [saved[0]] * 400_000}, uses], "edges": []}}
    data = json.dumps(many).encode()
    assert len(to_dot(parse_run(data), "backward")) < 20_000

    loop = "w = torch.ones(2, 2, requires_grad=True)\nx = torch.ones(1, 2)\n"
    loop += "for _ in range(8):\n    x = x @ w\nx.sum().backward()\n"
    assert '"t0~7" [' in to_dot(run_of(loop), "forward")  # w, once per use


def test_a_forged_runs_edges_from_a_node_of_many_runs_are_drawn_at_once():
    """Whether an edge into a leaf carries a gradient torch.autograd.grad() took back to the code asks its ends'
    passes: they were worked out again for each edge, and a forged Run of 4,000 edges from a node that ran in 50,000
    passes (4.4 MB) took 8 s of the server's CPU to write as DOT (past its apart process's 60 s as it grew)."""
    value = {"shape": [], "dtype": "float32", "data": 1.0, "truncated": False}
    tensor = {"id": "t0", "kind": "tensor", "var": "x", "line": 1, "shape": [], "dtype": "float32"}
    tensor |= {"requires_grad": True, "is_leaf": True, "version": 0, "value": value, "grad": value, "grad_fn": None}
    early = [{"backward_pass": k, "order": 0, "grad_in": [], "grad_out": []} for k in range(1, 30_000)]
    sender = {"id": "b0", "kind": "grad_fn", "name": "MulBackward0", "tensor": None, "grad_in": [], "grad_out": []}
    sender |= {"order": 0, "backward_pass": 30_000, "earlier_runs": early}
    leaf = {"id": "b1", "kind": "grad_fn", "name": "AccumulateGrad", "tensor": "t0", "grad_in": [], "grad_out": []}
    forged = {
        "status": "ok",
        "forward": {"nodes": [tensor], "edges": []},
        "backward": {
            "nodes": [sender, {**leaf, "order": 1, "backward_pass": 29_999}],
            "edges": [{"source": "b0", "target": "b1", "input_nr": 0, "grad": value}] * 4000,
        },
        "backward_passes": 30_000,
        "backward_calls": ["grad"] * 30_000,
    }
    run = parse_run(json.dumps(forged).encode())
    with cpu_clock() as spent:
        dot = to_dot(run, "backward")
        assert spent() < 1.0
    assert dot.count('style="dashed"') == 4000  # (grad() took each back: the leaf's last run was in an earlier pass)


def test_a_label_line_a_snippet_makes_long_is_cut_so_its_picture_stays_small():
    # setattr/globals give names of up to 1000 characters: 40 lines of 480 emoji, Thai or letters made a PNG take
    # about 2 s and 200 of them a picture over the memory limit; a name the code writes is drawn whole
    source = (
        "g = globals()\nx = torch.randn(2, requires_grad=True)\nt = x\nfor i in range(40):\n"
        "    t = t * 1.5\n    g['😀กิ์W' * 120 + str(i)] = t\nshort_name = t.sum()\nshort_name.backward()\n"
    )
    run = run_of(source)
    for view in ("forward", "backward"):
        dot = to_dot(run, view)
        labels = re.findall(r'label="((?:[^"\\]|\\.)*)"', dot)
        lines = [line for label in labels for line in re.split(r"\\l|(?<!\\)\|", label.strip("{}"))]
        assert max(len(line) for line in lines) == 80 and "😀กิ์W" * 16 not in dot and "…" in dot
        assert "short_name" in dot


def test_a_formula_of_megabytes_is_drawn_from_its_first_characters():
    """A forged Run's formula of 45 MB took 9 s of the server's CPU to split for a label of 4 lines of 48."""
    from app.render import FORMULA_LINES, _formula

    with cpu_clock() as spent:
        lines = _formula("∂y/∂x = " + "(a, " * 2_000_000 + "b")
        assert spent() < 0.5 and len(lines) <= FORMULA_LINES and lines[0].startswith("∂y/∂x")


def test_a_shape_of_the_most_dimensions_and_sizes_a_run_takes_is_drawn_at_once():
    """A forged Run's shapes of thousands of sizes near 2**64 held the server's interpreter for seconds a label
    (their product, a number of tens of thousands of digits): sizes are int64, a shape has at most MAX_DIMS, its
    values are counted only up to what a label shows, and a label's line is cut."""
    from app.graph import MAX_DIMS, check_run

    big = [2**63 - 1] * MAX_DIMS
    stats = {"min": 1.0, "max": 1.0, "mean": 1.0}
    values = [
        {"shape": big, "dtype": "float32", "data": None, "truncated": False},
        {"shape": big, "dtype": "float32", "data": [1.0], "truncated": True, **stats},
    ]
    nodes = []
    for i, value in enumerate(values):
        tensor = {"id": f"t{i}", "kind": "tensor", "var": "x", "line": 1, "shape": big, "dtype": "float32"}
        tensor |= {"requires_grad": False, "is_leaf": True, "version": 0, "value": value, "grad": None}
        nodes.append(tensor | {"grad_fn": None})
    data = json.dumps({"status": "ok", "forward": {"nodes": [*nodes], "edges": []}}).encode()
    with cpu_clock() as spent:
        run = parse_run(data)
        check_run(run, max_nodes=10, max_elements=100)
        dot = to_dot(run, "forward")
        assert spent() < 0.5
    assert f"({2**63 - 1}, {2**63 - 1}, " in dot and len(dot) < 3000
    with pytest.raises(InvalidRun, match="length <= 1024"):
        parse_run(data.replace(b"[9223372036854775807,", b"[9223372036854775807, 1,", 1))
    with pytest.raises(InvalidRun, match="<= 9223372036854775807"):
        parse_run(data.replace(b"9223372036854775807", b"9223372036854775808", 1))


def test_a_value_with_no_numbers_to_show_is_a_dash_not_its_shape():
    """A tensor torch.empty made, before `fill_`, has no values to show: its label's data read `4` (its shape), which
    a learner took for the value 4."""
    run = run_of("buf = torch.empty(4)\nbuf.fill_(2.0)\n")
    empty = next(n for n in run.forward.nodes if getattr(n, "var", None) == "buf")
    assert empty.value.values() is None and format_summary(empty.value) == "—"
    dot = to_dot(run, "forward", 16)
    assert "|data —}" in dot and "|data [2, 2, 2, 2]}" in dot  # (the filled one: its values)
