"""Names from the code: every tensor the snippet did not name is called by the source expression that made it,
never by an internal id; from the run's own code and the lines of its ops (app/expression.py)."""

import re

import pytest

from app.capture import capture, dumps
from app.explain.rule import PLAIN_NAME
from app.expression import expressions
from app.graph import Run, TensorNode, parse_run

from .helpers import CAPTURE, SEED_DIR, SEED_FILES, cpu_clock


def named(code: str) -> Run:
    """The Run of `code` as the capture engine names its tensors (the `expr` of app.expression, at export)."""
    return parse_run(dumps(capture(code, **CAPTURE)))


def labels(run: Run) -> list[str]:
    return [n.var or n.expr or "" for n in run.forward.nodes if isinstance(n, TensorNode)]


def test_the_2d_example_names_its_intermediates_as_the_tutorial_writes_them():
    run = named((SEED_DIR / "6_linear_2d.py").read_text())
    assert labels(run) == [
        "X",
        "y_true",
        "W",
        "b",
        "X @ W",
        "y_pred",
        "y_pred - y_true",
        "(y_pred - y_true) ** 2",
        "loss",
    ]


def test_the_1d_example_names_the_difference():
    assert "y_pred - y_true" in labels(named((SEED_DIR / "5_linear_1d.py").read_text()))


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_no_seed_tensor_is_left_unnamed_or_named_by_an_id(path):
    for label in labels(named(path.read_text())):
        assert label and not re.fullmatch(r"[a-z]{1,3}\d+", label), label


def test_operators_calls_methods_indexing_and_inline_leaves_in_evaluation_order():
    code = (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "w = torch.ones(2, 2, requires_grad=True)\n"
        "h = torch.tanh(x @ w + 1) * 2\n"
        "z = -h.sum() / torch.tensor(3.0) + x[0] ** 2\n"
        "z.backward()\n"
    )
    assert labels(named(code)) == [
        "x",
        "w",
        "x @ w",
        "x @ w + 1",
        "torch.tanh(x @ w + 1)",
        "h",
        "h.sum()",
        "-h.sum()",
        "torch.tensor(3.0)",
        "(…) / torch.tensor(3.0)",
        "x[0]",
        "x[0] ** 2",
        "z",
    ]


def test_a_loop_names_each_repetition_by_its_line_and_a_function_by_its_own_lines():
    code = (
        "def f(a):\n"
        "    return a.exp() * 3\n"
        "x = torch.tensor(1.0, requires_grad=True)\n"
        "for _ in range(3):\n"
        "    x = x * 2 + 1\n"
        "f(x).backward()\n"
    )
    found = labels(named(code))
    assert found.count("x * 2") == 3 and "a.exp()" in found and "a.exp() * 3" in found


def test_a_module_call_names_its_result_and_the_layers_inside_it():
    code = (
        "model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))\n"
        "out = model(torch.ones(1, 2)).sum()\n"
        "out.backward()\n"
    )
    found = labels(named(code))
    assert found[-4:] == ["model.0 → linear", "model.1 → relu", "model(torch.ones(1, 2))", "out"]


def test_code_that_does_not_parse_still_names_by_the_op():
    run = capture("x = torch.tensor(2.0, requires_grad=True)\ny = (x * 3).exp()\ny.backward()\n", **CAPTURE)
    assert set(expressions("this is not python (", run["forward"]).values()) == {"mul(…)"}
    assert set(expressions(None, run["forward"]).values()) == {"mul(…)"}  # (a stored run without its code)


EXAMPLES = sorted(p for p in SEED_DIR.glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_explanations_call_each_tensor_what_its_label_calls_it(path):
    """One name per tensor: each gradient's formula (`grad_(X @ W) = …`, `W.grad += …`) names the forward tensor it
    goes to as the graphs' labels and the inspector do (its `var`, else its `expr`)."""
    run = capture(path.read_text(), **CAPTURE)
    label = {n["id"]: n["var"] or n["expr"] for n in run["forward"]["nodes"] if n["kind"] == "tensor"}
    entries = [
        (node["name"], entry)
        for node in run["backward"]["nodes"]
        for entry in node["explain"]["inputs"]
        if entry["to"] is not None
    ]
    assert entries or path.stem in ("3_no_grad", "4_detach")
    for name, entry in entries:
        given = label[entry["to"]]
        written = given if PLAIN_NAME.match(given) else f"({given})"
        formula = entry["formula"]["en"]
        if name == "AccumulateGrad":
            assert formula.startswith(f"{written}.grad += "), formula
        else:
            assert formula.startswith(f"grad_{written} = "), formula


def test_naming_a_forged_runs_ops_takes_a_step_each_not_a_search_of_the_line():
    """The server names the tensors of a stored run without `expr` from its code (render.py): a forged Run of many
    ops on a line of many expressions, none of them its op, searched the whole line for each op (100k ops, 25k
    expressions: minutes of a drawing slot). Each op now finds its expression in a step."""
    code = "y = [" + ", ".join(["a + b"] * 4000) + "]\n"
    nodes = [{"id": f"o{i}", "kind": "op", "op": "zzz", "line": 1} for i in range(20_000)]
    nodes.append({"id": "t1", "kind": "tensor", "var": None, "line": 1, "requires_grad": False})
    with cpu_clock() as spent:
        nodes += [
            {"id": f"t{i}", "kind": "tensor", "var": None, "line": 1, "requires_grad": False} for i in range(2, 20_000)
        ]
        # (tensors with no op of their own that need no gradient: each is called by the outermost expression no op ran)
        assert set(expressions(code, {"nodes": nodes, "edges": []}).values()) == {"a + b"}
        assert spent() < 5  # (was 11 s here)


def test_naming_a_forged_runs_tensors_reads_the_snippet_once_not_once_a_tensor():
    """Each expression's text was cut from the snippet by `ast.get_source_segment`, which splits the whole snippet at
    each call: 1500 forged unnamed tensors, each on its own line of a 99 KB snippet, held a drawing slot for 30 s."""
    import ast

    lines = 24_000
    nodes, edges = [], []
    for i in range(1500):
        nodes += [
            {"id": f"o{i}", "kind": "op", "op": "mul", "line": 1 + i * 16},
            {"id": f"t{i}", "kind": "tensor", "var": None, "line": 1 + i * 16, "requires_grad": False},
        ]
        edges.append({"source": f"o{i}", "target": f"t{i}"})
    code = "a*b\n" * lines
    with cpu_clock() as spent:
        ast.parse(code)
        parsing = spent()
    with cpu_clock() as spent:
        named = expressions(code, {"nodes": nodes, "edges": edges})
        naming = spent()
    assert len(named) == 1500 and set(named.values()) == {"a*b"}
    # (against parsing the snippet once, measured beside it: 5 times that, and 50 times with the snippet split at each
    # tensor; a bound of 10 s on the wall clock, against 1 s of CPU here, came near on a machine slower and busier)
    assert naming < 15 * parsing


def test_an_op_a_modules_forward_runs_itself_is_named_by_its_own_expression():
    """`self.lin(x) * 2.0` in a module's forward: the `*` ran in the module, not in `self.lin(x)`, and took that call's
    name, leaving the layer's output `m.lin → linear`; a forward pre-hook's `(inp - …) / (…)` was named `inp.mean(…)`.
    A parametrized weight, made inside `conv(x)` before the convolution named `out`, was called `conv(x)`."""
    run = named(
        "class M(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.lin = nn.Linear(2, 2)\n"
        "    def forward(self, x):\n"
        "        return self.lin(x) * 2.0\n"
        "m = M()\n"
        "h = m(torch.randn(1, 2)) + 1\n"
        "conv = torch.nn.utils.parametrizations.weight_norm(nn.Conv2d(1, 2, 3))\n"
        "out = conv(torch.randn(1, 1, 4, 4))\n"
    )
    # (the `*`'s result is the call's: named as the top level wrote the call, `m(torch.randn(1, 2))`)
    assert "self.lin(x)" in labels(run) and "m(torch.randn(1, 2))" in labels(run)
    assert not any("→ linear" in label for label in labels(run))
    weight = next(n for n in run.forward.nodes if isinstance(n, TensorNode) and n.shape == [2, 1, 3, 3] and not n.var)
    assert weight.expr == "conv.parametrizations.weight.0 → _weight_norm"


def test_each_op_of_a_forward_line_takes_its_own_call_and_a_loop_line_starts_over():
    """Three labels that named another expression of their line: a second `torch.tanh(…)` in a forward took the
    first's; in `self.inp(x) + self.emb(t)` the emb's GELU was called `self.inp(x)`, and the output of
    `self.out(F.silu(h))` `F.silu(h)`; a loop's second `model(x)` in `print(F.mse_loss(model(x), y).item())` was
    `F.mse_loss(…).item()`."""
    run = named(
        "class M(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.w = nn.Parameter(torch.randn(3, 2))\n"
        "        self.inp, self.emb = nn.Linear(2, 3), nn.Sequential(nn.Linear(2, 3), nn.GELU())\n"
        "        self.out = nn.Linear(3, 1)\n"
        "    def forward(self, x, t):\n"
        "        a = torch.tanh(x) @ torch.tanh(self.w).t()\n"
        "        h = self.inp(x) + self.emb(t) + a\n"
        "        return self.out(F.silu(h))\n"
        "m = M()\n"
        "y = m(torch.randn(4, 2), torch.randn(4, 2)) * 2\n"
        "for i in range(2):\n"
        "    print(round(F.mse_loss(m.inp(torch.ones(1, 2)), torch.zeros(1, 3)).item(), 4))\n"
    )
    by_shape = [(n.expr, n.shape) for n in run.forward.nodes if isinstance(n, TensorNode) and not n.var]
    assert ("torch.tanh(x)", [4, 2]) in by_shape and ("torch.tanh(self.w)", [3, 2]) in by_shape
    assert ("self.inp(x)", [4, 3]) in by_shape and ("self.emb(t)", [4, 3]) in by_shape
    assert ("F.silu(h)", [4, 3]) in by_shape and ("m(…)", [4, 1]) in by_shape  # (the call's, as line 12 writes it)
    assert [e for e, shape in by_shape if shape == [1, 3]] == ["m.inp(torch.ones(1, 2))", "torch.zeros(1, 3)"] * 2
    # (a module run by a call that is not its own, with another call on the line: its layers by their ops)
    run = named(
        "model = nn.Sequential(nn.Linear(3, 4), nn.GELU(), nn.Linear(4, 1))\n"
        "params = dict(model.named_parameters())\nx = torch.randn(3)\n"
        "out = torch.func.functional_call(model, params, (x.unsqueeze(0),))\n"
    )
    assert "model.1 → gelu" in labels(run) and labels(run).count("x.unsqueeze(0)") == 1


def test_a_library_function_behind_a_decorator_is_named_as_the_line_calls_it():
    """`clip_grad_norm_` runs inside torch's `_no_grad_wrapper`, `jacrev(f)(x)` inside `wrapper_fn`: their tensors
    were `_no_grad_wrapper → _foreach_norm` and `wrapper_fn → sin`, names no line of the snippet writes."""
    run = named(
        "from torch.func import jacrev\n"
        "lin = nn.Linear(2, 2)\nopt = torch.optim.SGD(lin.parameters(), lr=0.1)\n"
        "lin(torch.randn(3, 2)).pow(2).sum().backward()\nopt.step()\n"
        "total = torch.nn.utils.clip_grad_norm_(lin.parameters(), 1.0)\n"
        "x = torch.randn(2, requires_grad=True)\nJ = jacrev(torch.sin)(x)\n"
    )
    found = labels(run)
    assert "torch.nn.utils.clip_grad_norm_ → stack" in found and "jacrev → sin" in found
    assert not [label for label in found if "wrapper" in label], found


def test_an_index_is_named_by_the_tensor_it_indexes_and_a_data_attribute_by_itself():
    """`W[tag_to_ix["STOP"]]`: the dict's lookup, evaluated first, ran no op (the row was called
    `tag_to_ix["STOP"]`); `fisher.data += …`: the `.data` read was named after `len(dataset)` on its line."""
    run = named(
        "tag_to_ix = {'B': 0, 'STOP': 2}\nW = torch.randn(3, 3, requires_grad=True)\n"
        "v = torch.randn(3) + W[tag_to_ix['STOP']]\n"
        "dataset = [1, 2]\nfisher = torch.zeros(3)\nfisher.data += v.detach() ** 2 / len(dataset)\n"
    )
    assert "W[tag_to_ix['STOP']]" in labels(run) and "tag_to_ix['STOP']" not in labels(run)
    assert "fisher.data" in labels(run) and not any("len" in label.split("(")[0] for label in labels(run))
    # (`w.data -= …`: w's version that `.data =` reads, recorded in between, is `w`, not `leaf`)
    run = named("w = torch.ones(2, requires_grad=True)\n(w * 3).sum().backward()\nw.data -= 0.1 * w.grad.data\n")
    assert "leaf" not in labels(run) and labels(run).count("w") == 3


def test_an_index_that_fits_a_label_is_written_whole():
    """`log_probs[range(2), target]` picks each row's target: labelled `log_probs[…]`, the learner could not see which
    entries the loss took. An index too long for a label is still cut."""
    run = named(
        "log_probs = torch.randn(2, 3, requires_grad=True).log_softmax(1)\ntarget = torch.tensor([2, 0])\n"
        "(-log_probs[range(2), target]).mean().backward()\n"
        "picked = log_probs[torch.tensor([0, 1]), torch.tensor([1, 2])] * 2\n"
    )
    assert "log_probs[range(2), target]" in labels(run)
    assert "log_probs[…]" in labels(run)  # (the second index, 43 characters)


def test_a_constant_made_inline_is_named_with_the_methods_called_on_it():
    """`w * torch.arange(8.0).reshape(2, 4)`: the (2, 4) tensor came in named `torch.arange(8.0)`, an 8-vector (the
    reshape of a tensor gradwalk had not seen is not recorded). A leaf that requires grad keeps its factory's name:
    the methods on it are ops of their own."""
    run = named(
        "w = torch.ones(2, 4, requires_grad=True)\nloss = (w * torch.arange(8.0).reshape(2, 4)).sum()\n"
        "x = torch.ones(3, requires_grad=True).mul(2)\n"
    )
    assert "torch.arange(8.0).reshape(…)" in labels(run) and "torch.ones(…)" in labels(run)


def test_a_constant_whose_method_the_graph_recorded_is_named_by_the_factory_alone():
    """`torch.ones(3).mul(x)`: the op mul took the tensor of ones and x, but the ones were named
    `torch.ones(3).mul(x)`, the op's output, and the step read `s = torch.ones(3).mul(x) · x`; a slice of x on the
    line of a constant's (`torch.ones(3)[0:2] * x[:2]`) was named by the constant's subscript."""
    code = "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
    assert labels(named(code + "s = torch.ones(3).mul(x)\n")) == ["x", "torch.ones(3)", "s"]
    scattered = named(code + "s = torch.zeros(3).scatter(0, torch.tensor([2, 1, 0]), x)\n")
    assert labels(scattered) == ["x", "torch.zeros(3)", "torch.tensor([2, 1, 0])", "s"]
    assert labels(named(code + "s = torch.ones(3)[0:2] * x[:2]\n")) == ["x", "x[:2]", "torch.ones(3)[0:2]", "s"]


def test_a_constant_made_inline_is_named_with_the_arithmetic_done_on_it():
    """`torch.ones(4, 2) * 2 + b`: the tensor of 2s came in named `torch.ones(4, 2)` (the multiplication of a tensor
    gradwalk had not seen is not recorded); numbers written out on either side, up to the last op that ran on it."""
    run = named(
        "b = torch.zeros(2, requires_grad=True)\nh = torch.ones(4, 2) * 2 + b\n"
        "g = 3 * -torch.ones(2) - b\nk = torch.ones(2) + b\n"
    )
    assert labels(run)[:6] == ["b", "torch.ones(4, 2) * 2", "h", "3 * -torch.ones(2)", "g", "torch.ones(2)"]


def test_what_a_modules_full_backward_hook_wraps_is_named_by_the_op_and_the_call_that_made_it():
    """A module's full backward hook wraps its input and output (BackwardHookFunction, whose `view_as` of each runs
    under no_grad, then gets its node): they came in with no op, called `leaf`, then `made inside torch`; they are
    made by the module's `view_as`, the output by the module's call."""
    run = named(
        "lin = nn.Linear(2, 1)\nlin.register_full_backward_hook(lambda m, gi, go: None)\n"
        "x = torch.ones(3, 2, requires_grad=True)\nlin(x).sum().backward()\n"
    )
    names = labels(run)
    assert {"lin → view_as", "lin(x)"} <= set(names) and not {"leaf", "made inside torch"} & set(names)
    assert [n.is_leaf for n in run.forward.nodes if isinstance(n, TensorNode) and n.expr] == [False] * 4


def test_functions_of_torchs_namespaces_are_named_by_their_call():
    """`torch.linalg.vector_norm(w)` runs the op `linalg_vector_norm`: it was named `linalg_vector_norm(…)`."""
    run = named(
        "w = torch.tensor([3.0, 4.0], requires_grad=True)\n"
        "n = torch.linalg.vector_norm(w) + torch.linalg.norm(w) + torch.special.expit(w).sum()\n"
    )
    assert {"torch.linalg.vector_norm(w)", "torch.linalg.norm(w)", "torch.special.expit(w)"} <= set(labels(run))


def test_ops_a_c_function_of_pythons_ran_are_named_after_it_not_after_the_lines_operators():
    """Python's `sum` adds (starting from 0), `max` compares, `math.prod` and `functools.reduce` multiply, all from C
    with no frame of theirs: those ops were named after the line's own `+` (`sum(…) + mse`, for a partial sum) or its
    `.sum()`. The line's own operators and torch's functions keep their names."""
    run = named(
        "import functools, math, operator\n"
        "w = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "params = [w, w * 3]\n"
        "mse = (w * 2).sum()\n"
        "loss = sum(p.pow(2).sum() for p in params) + mse\n"
        "best = max([w.sum(), (w * 4).sum()])\n"
        "both = math.prod([w, w]) + functools.reduce(operator.mul, [w, w + 1])\n"
        "n = torch.linalg.vector_norm(w) + w.add(w).sum()\n"
    )
    assert labels(run) == [
        "w", "params[1]", "w * 2", "mse",
        "p.pow(2)", "p.pow(2).sum()", "sum → add", "p.pow(2)", "p.pow(2).sum()", "sum → add", "loss",
        "w.sum()", "w * 4", "best", "max → gt",
        "math.prod → mul", "math.prod → mul", "w + 1", "functools.reduce → mul", "both",
        "torch.linalg.vector_norm(w)", "w.add(w)", "w.add(w).sum()", "n",
    ]  # fmt: skip
    ops = [n for n in run.forward.nodes if not isinstance(n, TensorNode)]
    assert [n.inside for n in ops if n.inside] == ["sum", "sum", "max", "prod", "prod", "reduce"]


def test_an_augmented_assignment_to_part_of_a_tensor_names_the_part_and_the_change():
    """`y[idx] += 5` reads `y[idx]`, adds in place, then writes it back: each tensor is named by that code (they were
    `getitem(…)`, `add_(…)` and `setitem(…)`)."""
    run = named(
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "y = x * 2\n"
        "idx = torch.tensor([0, 2])\n"
        "y[idx] += 5\n"
        "y[1] *= 3\n"
        "y[0] = x[1] ** 2\n"
        "z = (y ** 2).sum()\n"
        "z.backward()\n"
    )
    found = labels(run)
    assert found[found.index("idx") + 1 : found.index("idx") + 4] == ["y[idx]", "y[idx] += 5", "y"]
    assert {"y[1]", "y[1] *= 3", "x[1]", "x[1] ** 2"} <= set(found)
    assert not [label for label in found if re.search(r"(getitem|setitem|add_|mul_)\(", label)]


def test_a_tensor_made_inside_a_library_function_is_named_after_it():
    """`J = jacobian(f, x)` runs torch's own code on the snippet's line: its tensors are `jacobian → detach`, not
    `detach(…)`. Python's `sum` adds inside it (`sum → add`), while `torch.exp` on the same line ran as itself."""
    run = named(
        "from torch.autograd.functional import jacobian\n"
        "def f(x):\n"
        "    return x ** 2 + 3 * x\n"
        "x = torch.tensor([1.0, 2.0])\n"
        "J = jacobian(f, x)\n"
        "w = torch.tensor([1.0], requires_grad=True)\n"
        "y = torch.exp(sum([w, w])) * 2\n"
    )
    found = labels(run)
    assert {"jacobian → detach", "jacobian → requires_grad_", "sum → add", "torch.exp(sum([w, w]))"} <= set(found)
    assert not [label for label in found if re.fullmatch(r"\w+\(…\)", label)]


def test_ops_inside_a_librarys_function_take_no_name_written_on_the_line():
    """`lp = dist.log_prob(u) - a.pow(2)`: log_prob's own `-` and `** 2` were named `dist.log_prob(u) - a.pow(2)` and
    `a.pow(2)`; they are `dist.log_prob → sub`, and the line's own operators keep their names. The ops of
    `Categorical(logits=net(x))` are Categorical's, not the module's. What a call returns to the line's operators is
    named by the call (`dist.log_prob(u)`); a class returns no tensor."""
    run = named(
        "from torch.distributions import Normal, Categorical\n"
        "mu = torch.tensor([0.5, -0.2], requires_grad=True)\n"
        "dist = Normal(mu, torch.ones(2))\n"
        "u = torch.tensor([0.1, 0.3], requires_grad=True)\n"
        "a = torch.tanh(u)\n"
        "lp = dist.log_prob(u) - a.pow(2)\n"
        "net = nn.Linear(2, 3)\n"
        "cat = Categorical(logits=net(torch.tensor([[0.5, -1.0]])))\n"
        "loss = -cat.log_prob(torch.tensor([1])) * 3 + lp.sum()\n"
    )
    by_line: dict[int, list[str]] = {}
    for node in run.forward.nodes:
        if isinstance(node, TensorNode):
            by_line.setdefault(node.line or 0, []).append(node.var or node.expr or "")
    assert by_line[6].count("a.pow(2)") == 1 and "lp" in by_line[6]
    assert {"dist.log_prob → sub", "dist.log_prob → pow", "dist.log_prob → log"} <= set(by_line[6])  # (log_scale)
    assert "dist.log_prob(u) - a.pow(2)" not in by_line[6] and "dist.log_prob(u)" in by_line[6]  # (what it returned)
    assert "Categorical → logsumexp" in by_line[8] and not [n for n in by_line[8] if n.startswith("net →")]
    assert {"torch.tensor([1])", "-cat.log_prob(…)", "(…) * 3", "cat.log_prob → gather"} <= set(by_line[9])
    classes = by_line.get(3, []) + by_line[8]  # (Normal checks its arguments only while validation is on)
    assert "cat.log_prob(…)" in by_line[9] and not [n for n in classes if n[:1].isupper() and "(" in n]


def test_a_tensor_made_by_an_unrecorded_op_is_labelled_by_it():
    """A tensor made by an op the graph does not record (it needs no gradient) and met by the graph later reads as
    that op, inside the call that made it: GRU's zero initial state was `torch.randn(2, 5, 3)` (the line's factory)
    or `constant`, rsample's noise `torch.ones(3)` or `dist.rsample → constant`."""
    run = named(
        "gru = nn.GRU(3, 4, batch_first=True)\n"
        "out, h = gru(torch.randn(2, 5, 3))\n"
        "mu = torch.zeros(3, requires_grad=True)\n"
        "z = torch.distributions.Normal(mu, torch.ones(3)).rsample()\n"
        "(out.sum() + h.sum() + z.sum()).backward()\n"
    )
    exprs = {node.expr: node for node in run.forward.nodes if isinstance(node, TensorNode) and not node.var}
    assert "constant" not in exprs and "gru → zeros" in exprs and exprs["gru → zeros"].shape == [1, 2, 4]
    noise = exprs["Normal(…).rsample → mul"]  # (the noise times the scale: no op the graph records, made inside)
    assert noise.line == 4 and not noise.requires_grad and noise.shape == [3]


def test_numbers_multiplied_before_a_tensor_are_no_op_of_their_own():
    """`beta * 2 * x` with `beta = 0.5`: Python multiplies the two numbers, then the tensor; the op took the name of
    `beta * 2`, and its explanation read "(beta * 2) = x · 1"."""
    run = named(
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "beta, lam = 0.5, 0.1\n"
        "y = (beta * 2 * x).sum() + 0.5 * lam * (x ** 2).sum() + x.sum() * 3\n"
    )
    found = labels(run)
    assert {"beta * 2 * x", "(…) * (x ** 2).sum()", "x.sum() * 3"} <= set(found)
    assert not {"beta * 2", "0.5 * lam"} & set(found)


def test_naming_a_forged_runs_library_ops_searches_each_line_once():
    """Tensors made by ops no expression matches are named after the function their line called (`sum → add`), or
    that an op says it ran in (`inside`): a forged Run of 20k such ops on a line of 4000 calls searched the line for
    each one."""
    code = "y = [" + ", ".join(["f(a)"] * 4000) + "]\n"
    nodes: list[dict] = []
    edges = []
    for i in range(10_000):
        inside = {"inside": "g"} if i % 2 else {}
        nodes += [
            {"id": f"o{i}", "kind": "op", "op": "zzz", "line": 1, **inside},
            {"id": f"t{i}", "kind": "tensor", "var": None, "line": 1, "requires_grad": True},
        ]
        edges.append({"source": f"o{i}", "target": f"t{i}"})
    with cpu_clock() as spent:
        assert set(expressions(code, {"nodes": nodes, "edges": edges}).values()) == {"f → zzz", "g → zzz"}
        assert spent() < 5


def test_a_method_chain_split_over_lines_names_each_call():
    """Python runs each call of a chain split over lines on the line of its method's name: those calls were looked
    for on the chain's first line, and the tensors were named `log_softmax(…)`, `gather(…)`."""
    run = named(
        "x = torch.tensor([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]], requires_grad=True)\n"
        "y = torch.tensor([0, 2])\n"
        "nll = -(x\n"
        "        .log_softmax(dim=-1)\n"
        "        .gather(1, y[:, None])\n"
        "        .sum())\n"
    )
    found = labels(run)
    assert {"x.log_softmax(dim=-1)", "x.log_softmax(…).gather(…)", "y[:, None]"} <= set(found)
    assert not [label for label in found if "→" in label]  # (`.sum()` is the tensor's, not Python's `sum`)
    assert not [label for label in found if re.fullmatch(r"\w+\(…\)", label)]


def test_an_operator_is_named_by_the_expression_of_its_own_operands():
    """`x @ W1 if first else x @ W2` ran `x @ W2`, and `1 - rho` (two numbers) ran no op beside `1 - p`: each op took
    the first expression of its kind on the line."""
    run = named(
        "x = torch.ones(2, 3, requires_grad=True)\n"
        "W1, W2 = torch.ones(3, 3), torch.full((3, 3), 2.0, requires_grad=True)\n"
        "first = False\n"
        "h = (x @ W1 if first else x @ W2).relu().sum()\n"
        "p = torch.tensor([0.2, 0.1], requires_grad=True)\n"
        "rho = 0.05\n"
        "kl = (rho * torch.log(rho / p) + (1 - rho) * torch.log((1 - rho) / (1 - p))).sum()\n"
    )
    found = labels(run)
    assert {"x @ W2", "rho / p", "1 - p", "torch.log(rho / p)"} <= set(found)
    assert not {"x @ W1", "1 - rho"} & set(found)


def test_a_forward_hooks_own_line_and_a_call_that_raised_are_not_the_modules_result():
    """A forward hook runs inside its module's call: its `output.mean()` was grouped with the other hook's and
    called `net.0 → mean`. A module call that raised returned nothing: its last op's result was called by it
    (`model(xb)` for the Flatten before the Linear that raised)."""
    run = named(
        "net = nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 1))\n"
        "def hook(module, inputs, output):\n"
        "    print(f'{output.mean():.4f}')\n"
        "net[0].register_forward_hook(hook)\n"
        "net[1].register_forward_hook(hook)\n"
        "y = net(torch.randn(2, 3))\n"
    )
    assert [n.expr for n in run.forward.nodes if isinstance(n, TensorNode) and n.line == 3] == ["output.mean()"] * 2
    run = named(
        "model = nn.Sequential(nn.Flatten(), nn.Linear(12, 4))\n"
        "for xb in [torch.randn(2, 3, 4), torch.randn(2, 4, 4)]:\n"
        "    loss = model(xb).sum()\n"
    )
    assert run.status == "error"
    assert [n.expr for n in run.forward.nodes if isinstance(n, TensorNode) and not n.var] == [
        "model.0 → flatten",
        "model(xb)",
        "model.0 → flatten",
    ]


def test_pythons_sum_is_adds_and_leaves_the_tensor_sum_to_its_own_call():
    """`sum(parts).sum() + c.sum()`: Python's `sum` took torch's `sum` op, so every later label of the line moved one
    place on (`sum(parts)` for the `.sum()`, `sum(parts).sum()` for `c.sum()`)."""
    run = named(
        "w = torch.tensor([1.0, 2.0], requires_grad=True)\nparts = [w * 2, w * 3]\nc = torch.tensor([4.0, 5.0])\n"
        "total = sum(parts).sum() + c.sum()\n"
        "l2 = sum(p.pow(2).sum() for p in parts)\n"
    )
    assert [n.expr for n in run.forward.nodes if isinstance(n, TensorNode) and n.line == 4 and not n.var] == [
        "sum → add",
        "sum → add",
        "sum(parts).sum()",
        "c.sum()",
    ]
    on_5 = [n.expr for n in run.forward.nodes if isinstance(n, TensorNode) and n.line == 5 and not n.var]
    assert on_5 == ["p.pow(2)", "p.pow(2).sum()", "sum → add", "p.pow(2)", "p.pow(2).sum()"]


def test_a_custom_functions_output_a_retained_grad_and_a_replaced_layers_weight_are_labelled_by_the_code():
    """`P3 = Cube.apply; P3(x * 2)` was labelled by the op inside forward (`mul(…)`); `y.grad` of a `y.retain_grad()`
    was `constant`; the weight of a layer put in with `model[2] = nn.Linear(3, 1)`, named only once the snippet ended,
    took its line's input (`torch.ones(2, 4)`)."""
    run = named(
        "class Cube(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, a):\n"
        "        return a ** 3\n"
        "    @staticmethod\n"
        "    def backward(ctx, g):\n"
        "        return g\n"
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "P3 = Cube.apply\n"
        "loss = (x + P3(x * 2)).sum()\n"
        "y = x * 2\n"
        "y.retain_grad()\n"
        "y.sum().backward()\n"
        "same = torch.ones_like(y) == y.grad\n"
        "model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))\n"
        "model[0].weight.requires_grad = False\n"
        "model[2] = nn.Linear(3, 1)\n"
        "out = model(torch.ones(2, 4)).sum()\n"
        "out.backward()\n"
        "with torch.no_grad():\n"
        "    model[2].weight -= 0.1 * model[2].weight.grad\n"
    )
    unnamed = {(n.line, n.expr) for n in run.forward.nodes if isinstance(n, TensorNode) and not n.var}
    assert (10, "P3(x * 2)") in unnamed and (14, "y.grad") in unnamed and (18, "model.2.weight") in unnamed


def test_a_comprehensions_next_item_and_a_renamed_apply_beside_apply_keep_their_own_labels():
    """The line's search went round to its start for a comprehension's next item (`t.mul(3)` called `a.mul(2)`), and
    to `Cube.apply(x)` for the output of `P3(x + 1)` on the same line."""
    run = named(
        "class Cube(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, a):\n"
        "        return a ** 3\n"
        "    @staticmethod\n"
        "    def backward(ctx, g):\n"
        "        return g\n"
        "P3 = Cube.apply\n"
        "a = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "ts = [torch.tensor([10.0], requires_grad=True), torch.tensor([20.0], requires_grad=True)]\n"
        "y = a.mul(2) + torch.cat([t.mul(3) for t in ts]).mean()\n"
        "u = Cube.apply(a) + P3(a + 1)\n"
    )
    on = {
        k: [n.expr for n in run.forward.nodes if isinstance(n, TensorNode) and n.line == k and not n.var]
        for k in (11, 12)
    }
    assert on[11][:3] == ["a.mul(2)", "t.mul(3)", "t.mul(3)"]
    assert on[12] == ["Cube.apply(a)", "a + 1", "P3(a + 1)"]


def test_a_complex_tensors_parts_and_a_long_method_callee_are_named_as_written_and_short():
    """`w.real` was `real(…)`; a method of a long call's result named its ops by the whole call
    (`torch.distributions.Categorical(logits=policy(obs)).log_prob → gather`)."""
    run = named(
        "policy = nn.Linear(4, 3)\nobs = torch.randn(5, 4)\n"
        "lp = torch.distributions.Categorical(logits=policy(obs)).log_prob(torch.tensor([0, 1, 2, 1, 0]))\n"
        "z = torch.tensor([1 + 2j, 3 - 1j], requires_grad=True)\nw = z * z.conj()\n"
        "loss = w.real.sum() + w.imag.sum() + lp.sum()\n"
    )
    found = labels(run)
    assert "w.real" in found and "w.imag" in found and "Categorical(…).log_prob → gather" in found, found
    assert not [label for label in found if "(logits=" in label], found


def test_a_tensor_torch_func_hands_a_function_goes_by_the_functions_name_not_leaf():
    """`grad(f)(x)` with `def f(x)`: the x inside f (torch.func's wrapper of the top-level x, another tensor) was
    labelled `leaf`, and an argument not differentiated `constant`."""
    run = named(
        "from torch.func import grad\nw = torch.randn(3)\ndef loss_fn(w, x):\n    return (w * x).sum()\n"
        "x = torch.randn(3)\ng = grad(loss_fn)(w, x)\n"
    )
    inside = [n for n in run.forward.nodes if isinstance(n, TensorNode) and n.line == 6 and n.var is None]
    assert [n.expr for n in inside] == ["w", "x"]


def test_the_result_of_a_call_of_the_snippets_own_module_is_named_as_the_top_level_wrote_the_call():
    """`F.cross_entropy(net(img), target)`, `net` a module of the snippet's own: its result was labelled `self.fc(x)`,
    its forward's last line, which a learner looking at line 17 does not see. The code that called it names it, as a
    name bound at the top level wins over a function's; the layer's own result inside the forward keeps its line's."""
    run = named(
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(2, 3)\n"
        "    def forward(self, x):\n"
        "        h = self.fc(x)\n"
        "        return torch.tanh(h)\n"
        "net = Net()\n"
        "img = torch.randn(1, 2)\n"
        "loss = F.cross_entropy(net(img), torch.tensor([1]))\n"
        "out = net(img) * 2\n"
    )
    assert labels(run).count("net(img)") == 2 and "torch.tanh(h)" not in labels(run)
    ambiguous = named(  # (two calls of it on one line: which result is whose is not told, the forward's line names it)
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(2, 2)\n    def forward(self, x):\n        return self.fc(x)\n"
        "net = Net()\na, b = torch.randn(1, 2), torch.randn(1, 2)\nloss = net(a).sum() + net(b).mean()\n"
        "deep = net(net(a)).sum()\n"
    )
    assert "net(a)" not in labels(ambiguous) and "net(b)" not in labels(ambiguous)
    inner = [n for n in run.forward.nodes if isinstance(n, TensorNode) and n.var == "h"]
    assert inner and all(n.line == 6 for n in inner)
