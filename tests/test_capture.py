"""The capture engine, run in-process, checked against plain PyTorch."""

import builtins
import gc
import logging
import os
import re
import subprocess
import sys
import threading
import time
import warnings
import weakref
from pathlib import Path

import orjson
import pytest
import torch

from app.capture import capture, capture_here, dumps, prepare_source, wait_until_idle
from app.capture.peek import OWN_DISPATCH
from app.capture.record import TAKEN_OUT_MAX_ELEMENTS
from app.capture.summary import FREED, SYMBOLIC, TORCH_SUBCLASS, Summaries, summarize
from app.capture.values import Values
from app.gc_pause import OLD_EVERY
from app.graph import InvalidRun, check_run, parse_run
from app.render import to_dot

from .helpers import loads
from .oracle import (
    LIMITS,
    check_against_torch,
    check_consistency,
    check_output_and_error,
    flat,
    last_node_called,
    last_node_named,
    run_plain,
)
from .test_capture_as_python_file import fresh_logger

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "app" / "examples"  # the seed's six examples, byte for byte as users paste them
CORPUS = Path(__file__).parent / "corpus"


def run_snippet(source: str, **limits) -> dict:
    data = dumps(capture(source, **{**LIMITS, **limits}))  # as the API serves it
    check_run(parse_run(data), max_nodes=LIMITS["max_nodes"], max_elements=LIMITS["max_elements"])  # a valid Run
    return loads(data)


def seed(name: str) -> str:
    return (SEED / name).read_text(encoding="utf-8")


def values(summary: dict | None):
    return None if summary is None else flat(summary["data"])


def approx(expected):
    return pytest.approx(expected, rel=1e-4, abs=1e-4)


def backward_of(run: dict, node_id: str) -> dict:
    return next(n for n in run["backward"]["nodes"] if n["id"] == node_id)


# -- the seed's six examples, pasted verbatim ----------------------------------------------------------------


def test_seed_scalar_shows_y_4_and_x_grad_4():
    run = run_snippet(seed("1_scalar.py"))
    assert run["status"] == "ok"
    x, y = last_node_named(run, "x"), last_node_named(run, "y")
    assert values(y["value"]) == approx([4.0])
    assert values(x["grad"]) == approx([4.0])
    assert backward_of(run, y["grad_fn"])["name"] == "PowBackward0"
    assert backward_of(run, x["grad_accumulator"])["tensor"] == x["id"]
    assert "y: tensor(4., grad_fn=<PowBackward0>)" in run["stdout"]


def test_seed_vector_shows_x_grad_2_4_6():
    run = run_snippet(seed("2_vector.py"))
    assert run["status"] == "ok"
    assert values(last_node_named(run, "x")["grad"]) == approx([2.0, 4.0, 6.0])
    assert values(last_node_named(run, "y")["grad"]) == approx([1.0, 1.0, 1.0])


def test_seed_no_grad_yields_a_tensor_without_grad_and_a_cut():
    run = run_snippet(seed("3_no_grad.py"))
    assert run["status"] == "ok" and run["stdout"] == "False\n"
    y = last_node_named(run, "y")
    assert y["requires_grad"] is False and y["grad_fn"] is None
    op = next(n for n in run["forward"]["nodes"] if n["kind"] == "op")
    assert op["op"] == "pow" and op["no_grad"] and op["cut"]
    assert run["backward"]["nodes"] == []


def test_seed_detach_is_in_the_graph_and_cuts_it():
    run = run_snippet(seed("4_detach.py"))
    y, detached = last_node_named(run, "y"), last_node_named(run, "y_detached")
    assert y["requires_grad"] is True and detached["requires_grad"] is False
    detach = next(n for n in run["forward"]["nodes"] if n["kind"] == "op" and n["op"] == "detach")
    assert detach["cut"] and not detach["no_grad"]
    assert {"source": y["id"], "target": detach["id"]} in run["forward"]["edges"]
    assert {"source": detach["id"], "target": detached["id"]} in run["forward"]["edges"]


def test_seed_linear_1d_shows_prediction_loss_and_grads():
    run = run_snippet(seed("5_linear_1d.py"))
    assert values(last_node_named(run, "y_pred")["value"]) == approx([2.0])
    assert values(last_node_named(run, "loss")["value"]) == approx([1.0])
    assert values(last_node_named(run, "w")["grad"]) == approx([-2.0])
    assert values(last_node_named(run, "x")["grad"]) == approx([-4.0])
    assert last_node_named(run, "y_true")["grad"] is None


def test_seed_linear_2d_shows_the_printed_values():
    run = run_snippet(seed("6_linear_2d.py"))
    assert values(last_node_named(run, "y_pred")["value"]) == approx([1.9, 3.7])
    assert values(last_node_named(run, "loss")["value"]) == approx([165.65])
    assert values(last_node_named(run, "W")["grad"]) == approx([-73.3, -97.7, -122.1])
    assert values(last_node_named(run, "b")["grad"]) == approx([-24.4])


@pytest.mark.parametrize("name", sorted(p.name for p in SEED.glob("[0-9]_*.py")))
def test_seed_example_matches_torch(name):
    run = run_snippet(seed(name))
    assert run["status"] == "ok", run["error"]
    assert check_against_torch(run, seed(name)) >= 1
    check_consistency(run)


# -- our corpus against torch --------------------------------------------------------------------------------


# Snippets whose own hooks change gradients on the way: what a node received is not the sum of what flowed in.
GRADIENTS_CHANGED_BY_HOOKS = {"tensor_hooks.py"}


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.py")))
def test_corpus_matches_torch(name):
    """Each snippet of the corpus (real-world patterns: training loops, GAN steps, torch.func, saved-tensor hooks,
    custom Functions, hooks, threads, `.data`...) prints what plain Python prints and ends as it ends, and every
    tensor it leaves bound is in the graph under its top-level name, with torch's value and gradient."""
    source = (CORPUS / name).read_text(encoding="utf-8")
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 2
    if name not in GRADIENTS_CHANGED_BY_HOOKS:
        check_consistency(run)
    every_grad_fn = {n["grad_fn"] for n in run["forward"]["nodes"] if n["kind"] == "tensor"} - {None}
    assert every_grad_fn <= {n["id"] for n in run["backward"]["nodes"]}


def test_module_parameters_are_named_by_qualified_name():
    run = run_snippet((CORPUS / "mlp_cross_entropy.py").read_text())
    names = {n["var"] for n in run["forward"]["nodes"] if n["kind"] == "tensor"}
    assert {"model.0.weight", "model.0.bias", "model.2.weight", "model.2.bias"} <= names


def test_reused_tensor_keeps_two_edges():
    run = run_snippet("x = torch.tensor(3.0, requires_grad=True)\ny = x * x\ny.backward()\n")
    x, y = last_node_named(run, "x"), last_node_named(run, "y")
    edges = [e for e in run["backward"]["edges"] if e["source"] == y["grad_fn"]]
    assert [e["target"] for e in edges] == [x["grad_accumulator"]] * 2
    assert [values(e["grad"]) for e in edges] == [approx([3.0]), approx([3.0])]
    assert values(x["grad"]) == approx([6.0])


def test_korean_names_label_nodes():
    run = run_snippet((CORPUS / "korean_names.py").read_text())
    assert last_node_named(run, "가중치")["grad"] is not None
    assert last_node_named(run, "손실")["grad_fn"] is not None


def test_inplace_change_gives_a_new_version_node():
    run = run_snippet("x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.add_(1)\ny.sum().backward()\n")
    versions = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == "y"]
    assert [n["version"] for n in versions] == [0, 1]
    assert values(versions[0]["value"]) == approx([2.0, 2.0])
    assert values(versions[1]["value"]) == approx([3.0, 3.0])
    add = next(n for n in run["forward"]["nodes"] if n["kind"] == "op" and n["op"] == "add_")
    assert {"source": versions[0]["id"], "target": add["id"]} in run["forward"]["edges"]
    assert {"source": add["id"], "target": versions[1]["id"]} in run["forward"]["edges"]


def test_two_backward_passes_keep_accumulated_leaf_grad_and_last_pass_order():
    run = run_snippet((CORPUS / "two_backward.py").read_text())
    assert run["backward_passes"] == 2
    assert values(last_node_named(run, "w")["grad"]) == approx([5.0, 7.0])  # 3 + 2w
    ran = [n for n in run["backward"]["nodes"] if n["order"] is not None]
    assert {n["backward_pass"] for n in ran} == {1, 2}
    accumulate = next(n for n in run["backward"]["nodes"] if n["name"] == "AccumulateGrad")
    assert accumulate["backward_pass"] == 2 and values(accumulate["grad_out"][0]) == approx([2.0, 4.0])


def test_a_capture_starts_with_the_context_variables_of_a_fresh_process():
    """numpy's print options are a context variable, and captures in one process run in one thread: a snippet's
    np.set_printoptions(precision=3) printed the next capture's arrays that way (its own atexit function keeps them)."""
    setting = (
        "import atexit\nimport numpy as np\nnp.set_printoptions(precision=3)\nprint(np.array([0.123456]))\n"
        "atexit.register(lambda: print(np.array([0.654321])))\n"
    )
    assert run_snippet(setting)["stdout"] == "[0.123]\n[0.654]\n"
    assert run_snippet("import numpy as np\nprint(np.array([0.123456]))\n")["stdout"] == "[0.123456]\n"


def test_the_oracles_plain_run_starts_with_numpys_print_options_as_a_fresh_process():
    """numpy's print options are a context variable: a snippet's np.set_printoptions(precision=3) in one plain run
    printed the next test's arrays that way (in this thread only: a capture's thread had numpy's own), and two
    real-world snippets printing numpy arrays failed in one test order."""
    set_them = "import numpy as np\nnp.set_printoptions(precision=3)\nprint(np.array([0.123456]))\n"
    assert run_plain(set_them, note_gradients=False).stdout == "[0.123]\n"
    assert run_plain("import numpy as np\nprint(np.array([0.123456]))\n", note_gradients=False).stdout == "[0.123456]\n"


def test_the_oracles_plain_run_lets_go_of_its_graph():
    """The oracle's hooks, which note what each node received, are taken off as its run ends: each held its node,
    which held it through torch's C++, where the cycle collector cannot follow, and every plain run's graph (the
    tensors it saved too) was kept until the session ended."""
    plain = run_plain(
        "x = torch.ones(3, requires_grad=True)\nh = x * 2\ny = (h * h).sum()\ny.backward(retain_graph=True)\n"
    )
    assert plain.received  # (it noted them)
    saved = weakref.ref(plain.namespace["h"])  # (by the graph's MulBackward0 node)
    del plain
    gc.collect()
    assert saved() is None


def test_every_pass_that_ran_a_node_is_kept_with_its_own_gradients():
    # a training loop: the leaf's one AccumulateGrad runs in every pass; `retain_graph=True`: a graph runs again
    source = """
w = torch.tensor([1.0, 2.0], requires_grad=True)
x = torch.tensor([3.0, 4.0])
opt = torch.optim.SGD([w], lr=0.1)
seen = []
for step in range(3):
    opt.zero_grad()
    loss = (w * x).sum() ** 2
    loss.backward()
    seen.append(w.grad.clone())
    opt.step()
y = w * 3
y.backward(torch.ones(2), retain_graph=True)
y.backward(torch.full((2,), 2.0))
"""
    run = run_snippet(source)
    plain = run_plain(source).namespace
    accumulate = next(n for n in run["backward"]["nodes"] if n["name"] == "AccumulateGrad")
    runs = [*accumulate["earlier_runs"], accumulate]
    assert [r["backward_pass"] for r in runs] == [1, 2, 3, 4, 5]
    for ran, grad in zip(runs, plain["seen"], strict=False):  # the loop's passes: .grad was zeroed before each
        assert values(ran["grad_out"][0]) == approx(grad.tolist())
        assert ran["explain"]["inputs"][0]["check"]["ok"]
        assert f"[{grad[0]:g}, {grad[1]:g}]" in ran["explain"]["inputs"][0]["numbers"]
    assert [values(r["grad_out"][0]) for r in runs[3:]] == [approx([3.0, 3.0]), approx([6.0, 6.0])]
    assert "holds [1059, 1411] + [6, 6] = [1065, 1417]" in runs[4]["explain"]["words"]["en"]  # (not zeroed)
    assert runs[4]["explain"]["inputs"][0]["numbers"] == "[1059, 1411] + [6, 6] = [1065, 1417]"  # (what .grad holds)
    assert values(last_node_named(run, "w")["grad"]) == approx(plain["w"].grad.tolist())
    times = next(n for n in run["backward"]["nodes"] if n["name"] == "MulBackward0" and n["backward_pass"] == 5)
    (first,) = times["earlier_runs"]
    assert (first["backward_pass"], values(first["grad_out"][0]), values(first["grad_in"][0])) == (4, [1, 1], [3, 3])
    assert values(times["grad_in"][0]) == approx([6.0, 6.0])
    assert "[2, 2] · 3" in times["explain"]["inputs"][0]["numbers"]
    assert "[1, 1] · 3" in first["explain"]["inputs"][0]["numbers"]
    edge = next(e for e in run["backward"]["edges"] if e["source"] == times["id"])
    assert edge["slot"] == 0 and values(edge["grad"]) == approx([6.0, 6.0])
    once = [n for n in run["backward"]["nodes"] if n["name"] == "PowBackward0"]
    assert once and all(n["earlier_runs"] is None for n in once)


def test_each_version_of_a_parameter_shows_the_grad_its_step_read():
    """A training loop: each version of w (before each SGD step) shows what w.grad held after the backward pass
    that used it, the gradient that step read; the newest shows the final .grad (the older ones said None)."""
    source = """
w = torch.tensor(0.5, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.05)
read = []
for epoch in range(3):
    if epoch != 1:
        opt.zero_grad()  # (not before the 2nd pass: its .grad adds to the 1st's)
    loss = (w * 2.0 - 3.0) ** 2
    loss.backward()
    read.append(w.grad.item())
    opt.step()
"""
    run = run_snippet(source)
    plain = run_plain(source).namespace
    versions = [n for n in run["forward"]["nodes"] if n.get("var") == "w"]
    assert len(versions) == 4
    shown = [value for n in versions for value in values(n["grad"])]
    assert shown == approx([*plain["read"], plain["w"].grad.item()])


def test_backward_order_runs_root_first():
    run = run_snippet(seed("5_linear_1d.py"))
    by_order = sorted((n for n in run["backward"]["nodes"] if n["order"] is not None), key=lambda n: n["order"])
    assert by_order[0]["name"] == "PowBackward0" and by_order[0]["tensor"] == last_node_named(run, "loss")["id"]
    assert [n["order"] for n in by_order] == list(range(len(by_order)))


def test_saved_tensors_are_read_before_backward_frees_them():
    run = run_snippet(seed("6_linear_2d.py"))
    mm = next(n for n in run["backward"]["nodes"] if n["name"] == "MmBackward0")
    saved = {s["name"]: s for s in mm["saved"]}
    assert saved["self"]["tensor"] == last_node_named(run, "X")["id"]
    assert saved["mat2"]["tensor"] == last_node_named(run, "W")["id"] and saved["mat2"]["value"] is None
    assert values(last_node_named(run, "W")["value"]) == approx([0.1, 0.2, 0.3])


def test_snippet_still_sees_none_grad_on_non_leaf():
    source = "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.sum().backward()\nprint(y.grad, y.retains_grad)\n"
    run = run_snippet(source)
    assert run["stdout"] == "None False\n"
    assert "not a leaf Tensor" in run["stderr"]  # torch's own warning, as plain Python shows it
    assert values(last_node_named(run, "y")["grad"]) == approx([1.0, 1.0])


def test_custom_function_saved_tensors_and_grads():
    run = run_snippet((CORPUS / "custom_function.py").read_text())
    node = next(n for n in run["backward"]["nodes"] if n["name"] == "CubeBackward")
    assert values(node["grad_in"][0]) == approx([3.0, 12.0])
    assert node["saved"][0]["name"] == "saved_tensors[0]"


def test_deep_chain_of_100k_ops_has_no_recursion_error():
    source = (
        "x = torch.tensor(1.0, requires_grad=True)\ny = x\nfor _ in range(100_000):\n    y = y * 1.0\ny.backward()\n"
    )
    run = run_snippet(source, max_elements=1)
    assert run["status"] == "ok"
    assert len(run["backward"]["nodes"]) == 100_001
    assert values(last_node_named(run, "x")["grad"]) == approx([1.0])


# -- source handling, errors and limits ----------------------------------------------------------------------


def test_common_indentation_is_removed():
    assert prepare_source("\tx = 1\n\n\tif x:\n\t\ty = 2\n\t") == "x = 1\n\nif x:\n\ty = 2\n"
    assert prepare_source("\ufeffa = 1\r\nb = 2\r\n") == "a = 1\nb = 2\n"


def test_syntax_error_gives_line_and_column():
    run = run_snippet("x = 1\ny = (x +\n")
    assert run["status"] == "error"
    assert run["error"]["type"] == "SyntaxError" and run["error"]["line"] == 2 and run["error"]["column"] >= 1


def test_nul_byte_is_an_error_not_a_crash():
    run = run_snippet("x = 1\0\n")
    assert run["status"] == "error" and run["error"]["type"] in ("SyntaxError", "ValueError")


def test_exception_gives_its_line_and_the_graph_so_far():
    source = "x = torch.tensor(2.0, requires_grad=True)\ny = x * 3\n\nz = y @ torch.ones(4)\n"
    run = run_snippet(source)
    assert run["status"] == "error" and run["error"]["line"] == 4
    assert values(last_node_named(run, "y")["value"]) == approx([6.0])


def test_exception_inside_a_function_points_at_the_innermost_snippet_line():
    run = run_snippet("def f(v):\n    return v.foo\n\nf(torch.ones(1))\n")
    assert run["error"]["type"] == "AttributeError" and run["error"]["line"] == 2


def test_backward_of_a_vector_explains_the_scalar_rule():
    run = run_snippet("x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x ** 2\ny.backward()\n")
    assert run["status"] == "error" and run["error"]["line"] == 3
    assert "scalar" in run["error"]["hint"]["en"] and "ones_like" in run["error"]["hint"]["en"]
    assert "스칼라" in run["error"]["hint"]["ko"]


def test_max_nodes_stops_the_recording_and_the_code_runs_on_with_status_limit():
    source = (
        "x = torch.ones(1, requires_grad=True)\nfor _ in range(10_000):\n    x = x + 1\n"
        "x.sum().backward()\nprint(x.item())\n"
    )
    run = run_snippet(source, max_nodes=500)
    assert run["status"] == "limit" and run["error"]["type"] == "GraphLimit" and run["error"]["line"] == 3
    assert run["recording_stopped"] == run["error"] and "ran on unrecorded" in run["error"]["message"]
    assert run["stdout"] == "10001.0\n"  # (the code was not stopped: it printed what plain Python prints)
    assert run["backward_passes"] == 1 and run["recorded_passes"] == 0
    assert len(run["forward"]["nodes"]) + len(run["backward"]["nodes"]) <= 500


def test_the_graph_limit_never_reaches_the_snippet():
    source = (
        "x = torch.ones(1, requires_grad=True)\ncaught = 0\nfor _ in range(1000):\n    try:\n        x = x + 1\n"
        "    except BaseException:\n        caught += 1\nprint(caught, x.item())\n"
    )
    run = run_snippet(source, max_nodes=100)
    assert run["status"] == "limit" and run["stdout"] == "0 1001.0\n"


def test_values_recorded_before_the_recording_paused_stay_as_they_were():
    """The code runs on unrecorded after a limit, or in a loop that filled half the graph: what it changes in place
    then (an optimizer's later steps) never shows in the values recorded before, nor in the gradients."""
    source = (
        "w = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "loss = (w * w).sum()\n"
        "loss.backward()\n"
        "kept = w.grad\n"
        "for _ in range(300):\n"
        "    y = (w * 3).sum()\n"
        "    with torch.no_grad():\n"
        "        w.add_(1.0)\n"
        "        kept.mul_(2.0)\n"
    )
    run = run_snippet(source, max_nodes=60)
    assert run["status"] == "ok" and run["recording_paused"]["type"] == "LoopPaused"
    first = next(n for n in run["forward"]["nodes"] if n.get("var") == "w" or "w" in n.get("aliases", []))
    assert values(first["value"]) == [1.0, 2.0]
    accumulate = next(n for n in run["backward"]["nodes"] if n["name"] == "AccumulateGrad")
    assert values(accumulate["grad_in"][0] if accumulate["grad_in"] else accumulate["grad_out"][0]) == [2.0, 4.0]


def test_a_tensor_torch_empty_made_shows_no_values_until_an_op_fills_it():
    """`torch.empty` (and `new_empty`, `empty_like`, `x.new(2, 3)`) hands over memory as it was: the node of such a
    tensor before an op filled it showed that memory's leftovers (-2.2e18, 4.6e-41) as its values, and a learner read
    them as numbers that meant something. It shows none, and says why; once filled, its values are torch's."""
    source = (
        "torch.manual_seed(0)\nbuf = torch.empty(4)\nbuf.fill_(2.0)\nz = torch.empty(2, 2).normal_()\n"
        "w = torch.ones(3).new(2, 3)\nw.zero_()\nd = torch.ones(3).new([1.0, 2.0])\n"
        "e = torch.empty_like(d).copy_(d)\ny = buf.sum() + z.sum() + w.sum() + d.sum() + e.sum()\n"
    )
    run = run_snippet(source)
    check_output_and_error(run, source)
    tensors = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor"]
    empty_like = next(n["id"] for n in run["forward"]["nodes"] if n.get("op") == "empty_like")
    made = next(e["target"] for e in run["forward"]["edges"] if e["source"] == empty_like)
    for name in ("buf", "w", made):
        named = [n for n in tensors if name in (n.get("var"), n["id"])]
        first, last = named[0], named[-1] if name != made else last_node_named(run, "e")
        assert first["value"]["data"] is None and first["value"]["unreadable"].startswith("not filled yet"), name
        assert first["value"]["shape"] == last["value"]["shape"] and last["value"]["data"] is not None, name
    plain = run_plain(source).namespace
    for name in ("buf", "z", "w", "d", "e", "y"):
        assert values(last_node_named(run, name)["value"]) == approx(plain[name].flatten().tolist()), name
    assert all(n["value"]["data"] is not None for n in tensors if n.get("var") in ("z", "d", "y"))


def test_a_fake_tensor_torch_empty_made_is_marked_as_torchs_subclass_not_as_memory_not_filled_yet():
    """Under FakeTensorMode (a shape check before training) `torch.empty` makes a FakeTensor: it has no memory and
    never will, as every other fake tensor of the run. It was said to be not filled yet (its memory as it was)."""
    source = (
        "from torch._subclasses.fake_tensor import FakeTensorMode\n"
        "with FakeTensorMode():\n    fake_x = torch.empty(5, 3)\n    fake_y = fake_x * 2\n"
        "x = torch.empty(2)\nprint(fake_y.shape)\n"
    )
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert check_against_torch(run, source) == 3  # (fake_x, fake_y: torch's subclass; x: not filled yet)
    assert last_node_named(run, "fake_x")["value"]["unreadable"] == TORCH_SUBCLASS
    assert last_node_named(run, "x")["value"]["unreadable"].startswith("not filled yet")


STORAGE_WRITES = """torch.manual_seed(0)
layer = nn.Linear(3, 2)
x = torch.randn(4, 3)
y = layer(x).sum()
y.backward()
with torch.no_grad():
    layer.weight.untyped_storage().resize_(0)
print(layer.weight.shape, layer.weight.untyped_storage().size())
with torch.no_grad():
    layer.weight.untyped_storage().resize_(24)
    layer.weight.copy_(torch.ones(2, 3))
z = layer(x).sum()
layer.bias.untyped_storage().fill_(0)
print(z, layer.bias)
"""


def test_a_write_through_a_tensors_storage_keeps_the_values_before_it():
    """A tensor's memory written through its storage (`untyped_storage().resize_(0)`, with which code in the style of
    FSDP frees a parameter's memory between uses, then `resize_` and `copy_` back; `fill_`) moves no version and
    reaches no torch function: the nodes before it showed the memory as it was at the end (the first weight all
    zeros), and one made while it was freed, read, crashed the process (torch reads past the end). Each shows its
    value as it was, and the freed one says it had none."""
    run = run_snippet(STORAGE_WRITES)
    check_output_and_error(run, STORAGE_WRITES)
    assert check_against_torch(run, STORAGE_WRITES) >= 4
    plain = run_plain(STORAGE_WRITES).namespace
    torch.manual_seed(0)
    first = torch.nn.Linear(3, 2)
    weights = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == "layer.weight"]
    assert values(weights[0]["value"]) == approx(first.weight.flatten().tolist())
    assert any(n["value"]["unreadable"] == FREED for n in weights[1:-1])
    assert values(weights[-1]["value"]) == [1.0] * 6
    biases = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == "layer.bias"]
    assert values(biases[0]["value"]) == approx(first.bias.tolist()) and plain["layer"].bias.tolist() == [0.0, 0.0]


def test_a_tensor_left_with_its_memory_freed_is_marked_and_the_run_ends_as_plain_python():
    """A parameter whose memory the snippet freed (`untyped_storage().resize_(0)`) and left so: reading it at the end
    crashed the process where `python FILE` ends normally. It is marked as freed, every other value shown."""
    source = STORAGE_WRITES.split("with torch.no_grad():\n    layer.weight.untyped_storage().resize_(24)")[0]
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert last_node_named(run, "layer.weight")["value"]["unreadable"] == FREED
    assert last_node_named(run, "y")["value"]["data"] is not None


def test_a_sparse_tensor_with_an_index_outside_its_size_is_marked_not_read():
    """torch checks a sparse tensor's indices only when asked (`check_invariants`, off by default): an adjacency
    matrix built with an edge to node n in an n-by-n size is made without a word, and plain Python that never reads
    it goes on. Densifying it to show its values wrote past the end of the memory (heap corruption, or a crash). It
    is marked as such and not read; a valid one, made the same way, shows its values."""
    from app.capture.summary import OUT_OF_BOUNDS

    source = (
        "import warnings\nwarnings.simplefilter('ignore')\n"
        "edges = torch.tensor([[0, 1, 3], [1, 2, 0]])\nadj = torch.sparse_coo_tensor(edges, torch.ones(3), (3, 3))\n"
        "csr = torch.sparse_csr_tensor(torch.tensor([0, 1, 2]), torch.tensor([7, 0]), torch.ones(2), (2, 2))\n"
        "ok = torch.sparse_coo_tensor(edges, torch.ones(3), (4, 4))\nprint(adj.shape, adj._nnz(), csr.shape)\n"
    )
    run = run_snippet(source)
    check_output_and_error(run, source)
    for name in ("adj", "csr"):
        value = last_node_named(run, name)["value"]
        assert value["data"] is None and value["unreadable"] == OUT_OF_BOUNDS, name
    assert values(last_node_named(run, "ok")["value"])[:4] == [0.0, 1.0, 0.0, 0.0]


def test_large_tensors_are_summarized_with_statistics():
    run = run_snippet("big = torch.arange(1000.0)\nbig2 = big * 2\n", max_elements=10)
    node = last_node_named(run, "big")
    assert node["value"]["truncated"] and node["value"]["data"] == list(range(10))
    assert node["value"]["min"] == 0 and node["value"]["max"] == 999 and node["value"]["mean"] == 499.5


def test_a_tensor_bound_to_thousands_of_names_ended_once(monkeypatch):
    """`globals()[f"w{i}"] = t` 3,000 times: the record of t was listed as what the snippet left bound once per name,
    and the export read every name of every copy (3,000 x 3,000: a second, 5 s for 6,000 names)."""
    import app.capture.export as export

    lengths = []
    rebound_back = export.rebound_back

    def counted(records, ended, local=()):
        ended = list(ended)
        lengths.append(len(ended))
        return rebound_back(records, ended, local)

    monkeypatch.setattr(export, "rebound_back", counted)
    source = (
        "t = torch.ones(3, requires_grad=True)\nfor i in range(3000):\n    globals()[f'w{i}'] = t\n"
        "(t * 2).sum().backward()\n"
    )
    run = run_snippet(source)
    assert lengths and max(lengths) == 1, lengths
    leaf = last_node_named(run, "t")
    assert leaf["aliases"][:2] == ["w0", "w1"] and len(leaf["aliases"]) == 3000, leaf["aliases"][:5]


def test_an_expanded_tensor_is_summarised_without_copying_it():
    """`x.expand(n, 3)` holds 3 values whatever n: its statistics were read from a copy of all n·3, which a run's
    memory refuses long before torch does (a 12-byte tensor marked unreadable). 3·10^12 values cannot be copied
    anywhere; their first ones and statistics are still read."""
    x = torch.tensor([[1.0, -2.0, 4.0]])
    for shape in [(10**12, 3), (2, 10**12, 3)]:
        summary = summarize(x.expand(*shape), 8)
        assert "unreadable" not in summary, summary
        assert summary["data"] == [1.0, -2.0, 4.0, 1.0, -2.0, 4.0, 1.0, -2.0] and summary["truncated"]
        assert (summary["min"], summary["max"], summary["mean"]) == (-2.0, 4.0, 1.0)
    column = summarize(torch.tensor([[1.0], [3.0]]).expand(2, 10**12), 4)  # (the first row holds the first values)
    assert column["data"] == [1.0] * 4 and (column["min"], column["max"], column["mean"]) == (1.0, 3.0, 2.0)


def test_a_tensor_with_no_values_lists_no_more_than_max_elements_empty_rows():
    """`torch.zeros(300_000, 0)` holds no value, and was listed whole as 300,000 empty lists: a 7-line snippet made a
    59 MB Run of 15 forward nodes whose forward DOT was 29 MB and took a drawing slot 26 s. Such a summary is cut
    (`data: []`, its statistics NaN, as torch's mean of no values); a few empty rows are still listed whole, and a Run
    that lists more is refused."""
    run = run_snippet(
        "x = torch.zeros(300_000, 0, requires_grad=True)\n(x * 2).sum().backward()\nw = torch.zeros(2, 0)\n",
        max_elements=64,
    )
    x = last_node_named(run, "x")
    for summary in (x["value"], x["grad"]):
        assert summary["truncated"] and summary["data"] == [] and summary["shape"] == [300_000, 0]
        assert summary["min"] == summary["max"] == summary["mean"] == "nan"
    assert len(orjson.dumps(run)) < 100_000
    assert last_node_named(run, "w")["value"] == {
        "shape": [2, 0],
        "dtype": "float32",
        "data": [[], []],
        "truncated": False,
    }
    assert summarize(torch.zeros(0, 300_000), 4)["data"] == []  # (no row at all: nothing to cut)
    forged = orjson.dumps(run)
    listed = orjson.dumps({"shape": [300_000, 0], "dtype": "float32", "data": [[]] * 300_000, "truncated": False})
    forged = forged.replace(orjson.dumps(x["value"]), listed, 1)
    with pytest.raises(InvalidRun, match="more values \\(or empty lists\\) than max_elements"):
        check_run(parse_run(forged), max_nodes=LIMITS["max_nodes"], max_elements=64)


def test_nan_and_inf_become_json_strings():
    run = run_snippet("v = torch.tensor([1.0, float('nan'), float('inf'), -float('inf')])\nw = v * 1\n")
    assert last_node_named(run, "v")["value"]["data"] == [1.0, "nan", "inf", "-inf"]


def test_a_quantized_tensor_shows_the_real_numbers_it_stands_for():
    source = "q = torch.quantize_per_tensor(torch.tensor([0.5, -1.0]), 0.5, 3, torch.quint8)\nd = q.dequantize()\n"
    run = run_snippet(source)
    value = last_node_named(run, "q")["value"]
    assert value["dtype"] == "quint8" and value["data"] == [0.5, -1.0] and not value.get("unreadable")


def test_a_transformer_encoder_in_eval_takes_its_fast_path_as_in_plain_torch():
    """torch's fast path (taken without gradients, in eval mode, when `has_torch_function` says no) zeroes the padded
    positions; with the recorder counted as a torch function it was not taken, and they showed other numbers."""
    source = (
        "torch.manual_seed(0)\n"
        "layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=8, batch_first=True)\n"
        "encoder = nn.TransformerEncoder(layer, num_layers=1).eval()\n"
        "with torch.no_grad():\n"
        "    out = encoder(torch.randn(1, 3, 4), src_key_padding_mask=torch.tensor([[False, False, True]]))\n"
        "print(out[0, 2])\n"
    )
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert run["stdout"] == "tensor([0., 0., 0., 0.])\n"
    assert check_against_torch(run, source) == 25  # (out, and the parameters of layer and encoder)


def test_output_is_capped_on_the_line_that_printed_past_it():
    run = run_snippet("x = 1\nwhile True:\n    print('x' * 100)\n", max_output_bytes=1000)
    assert run["status"] == "limit" and run["error"]["type"] == "OutputLimit" and run["error"]["line"] == 3
    assert len(run["stdout"].encode()) <= 1000


def test_system_exit_zero_is_a_normal_end():
    assert run_snippet("print('a')\nraise SystemExit\n")["status"] == "ok"
    assert run_snippet("raise SystemExit(3)\n")["status"] == "error"


def test_the_run_leaves_torch_state_as_it_was():
    run_snippet("torch.set_grad_enabled(False)\ntorch.set_default_dtype(torch.float64)\n")
    assert torch.is_grad_enabled() and torch.get_default_dtype() == torch.float32
    assert torch.overrides._get_current_function_mode() is None
    import threading

    assert threading.getprofile() is None  # (threads started during a capture are recorded: undone after)


def test_examples_are_the_seed_byte_for_byte():
    shared = ROOT.parent / "shared" / "seed" / "examples"
    if not shared.is_dir():
        pytest.skip("no ../shared beside this checkout")
    assert sorted(p.name for p in shared.glob("*.py")) == sorted(p.name for p in SEED.glob("[0-9]_*.py"))
    for path in shared.glob("*.py"):
        assert (SEED / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize("max_elements", [1, 5, 100])
def test_batched_summaries_equal_one_by_one_summaries(max_elements):
    torch.manual_seed(1)
    tensors = [
        torch.randn(3),
        torch.randn(2, 3, 4),
        torch.tensor(2.5),
        torch.randn(7, dtype=torch.float64),
        torch.tensor([1.0, float("nan"), float("inf")]),
        torch.arange(6).reshape(2, 3),
        torch.ones(0, 3),
        torch.randn(5000),
        torch.tensor([True, False]),
        torch.randn(4, 4).t(),
    ]
    batch = Summaries(max_elements, 10**9)
    pending = [batch(t) for t in tensors]
    batch.flush()
    for tensor, got in zip(tensors, pending, strict=True):
        got, want = orjson.loads(dumps(got)), summarize(tensor, max_elements)  # as JSON, where they must agree
        assert got.keys() == want.keys()
        for key in want:
            assert same_json(got[key], want[key]), (tensor, key, got[key], want[key])


def same_json(got, want) -> bool:
    """Equal JSON values, numbers to float32 precision (batched float32 values are written in their shortest
    float32 form: 0.1, not 0.10000000149011612)."""
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(map(same_json, got, want))
    if isinstance(want, dict):
        return isinstance(got, dict) and got.keys() == want.keys() and all(same_json(got[k], want[k]) for k in want)
    if isinstance(want, float) and not isinstance(got, (str, bool)):
        return got == pytest.approx(want, rel=1e-6)
    return got == want


def test_values_are_snapshots_even_when_changed_in_place_later():
    source = (
        "x = torch.arange(25.0).reshape(5, 5).requires_grad_()\n"
        "y = x * 2\n"
        "y.mul_(3)\n"
        "row = y[0]\n"
        "row.zero_()\n"  # through a view: y's storage changes again
        "y.sum().backward()\n"
        "x.grad.zero_()\n"
    )
    run = run_snippet(source, max_elements=100)
    versions = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == "y"]
    base = [2.0 * v for v in range(25)]
    assert values(versions[0]["value"]) == approx(base)
    assert values(versions[1]["value"]) == approx([3 * v for v in base])
    accumulate = backward_of(run, last_node_named(run, "x")["grad_accumulator"])
    assert values(accumulate["grad_out"][0]) == approx([0.0] * 5 + [6.0] * 20)  # what flowed in
    assert values(last_node_named(run, "x")["grad"]) == approx([0.0] * 25)  # .grad as the snippet left it


def test_gradients_meeting_in_one_node_keep_their_own_edges():
    run = run_snippet("x = torch.ones(5, 5, requires_grad=True)\ny = x * x\ny.sum().backward()\n", max_elements=100)
    x = last_node_named(run, "x")
    edges = [e for e in run["backward"]["edges"] if e["target"] == x["grad_accumulator"]]
    assert [values(e["grad"]) for e in edges] == [approx([1.0] * 25)] * 2
    assert values(backward_of(run, x["grad_accumulator"])["grad_out"][0]) == approx([2.0] * 25)
    check_consistency(run)


def test_ops_know_the_module_they_ran_in():
    source = (
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(2, 2)\n"
        "    def forward(self, x):\n"
        "        return self.fc(x).relu()\n"
        "model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())\n"
        "hidden = model(torch.ones(1, 2, requires_grad=True))\n"
        "out = Net()(hidden).sum() * 2\n"
    )
    run = run_snippet(source)
    ops = [(n["op"], n["module"]) for n in run["forward"]["nodes"] if n["kind"] == "op"]
    assert ops == [
        ("linear", "model.0"),
        ("relu", "model.1"),
        ("linear", "Net/Linear"),
        ("relu", "Net"),
        ("sum", None),
        ("mul", None),
    ]


def test_a_module_made_where_a_freed_one_was_never_takes_its_name():
    """The run keeps no module alive: a module made after another was freed may get its id (a model deep-copied in
    each step of a loop, a layer made anew), and its ops must show its own name, not the freed one's."""
    source = (
        "x = torch.ones(1, 2)\n"
        "for step in range(3):\n"
        "    a = nn.Sequential(nn.Linear(2, 2), nn.Tanh())\n"
        "    y = a(x)\n"
        "    del a\n"
        "    b = nn.Sequential(nn.Linear(2, 2), nn.ReLU())\n"
        "    z = b(x)\n"
        "    del b\n"
    )
    run = run_snippet(source)
    ops = [(n["op"], n["module"]) for n in run["forward"]["nodes"] if n["kind"] == "op" and n["line"] in (4, 7)]
    assert ops == [("linear", "a.0"), ("tanh", "a.1"), ("linear", "b.0"), ("relu", "b.1")] * 3


def test_module_calls_are_followed_through_the_snippets_hooks_and_errors():
    source = (
        "seen = []\n"
        "layer = nn.Linear(2, 2)\n"
        "layer.register_forward_hook(lambda module, args, output: seen.append(output.shape))\n"
        "class Broken(nn.Module):\n"
        "    def forward(self, x):\n"
        "        raise ValueError('no')\n"
        "x = torch.ones(1, 2, requires_grad=True)\n"
        "try:\n"
        "    Broken()(layer(x))\n"
        "except ValueError:\n"
        "    pass\n"
        "y = layer(x).sum()\n"
        "print(len(seen))\n"
    )
    run = run_snippet(source)
    ops = [(n["op"], n["module"], n["calls"]) for n in run["forward"]["nodes"] if n["kind"] == "op"]
    assert ops == [("linear", "layer", [1]), ("linear", "layer", [3]), ("sum", None, [])]
    assert run["stdout"] == "2\n"
    module = torch.nn.Linear(2, 2)  # after the capture, a module call is a plain call again
    assert torch.equal(module(torch.ones(1, 2)), module.forward(torch.ones(1, 2)))


def test_collector_stays_paused_until_the_last_overlapping_capture_ends():
    """A capture thread that ends (freeing its graph) while the next capture runs must not switch the cycle
    collector back on under it: collections made a 10k-node capture three times slower."""
    import gc
    import threading

    from app.gc_pause import gc_paused

    wait_until_idle()  # earlier tests' captures may still be freeing their graphs
    assert gc.isenabled()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with gc_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second():
        first_in.wait(5)
        with gc_paused():
            second_in.set()
            first_out.wait(5)
            seen["during"] = gc.isenabled()
        seen["after"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"during": False, "after": True}

    gc.disable()  # a caller's own setting is kept: paused and resumed as it was
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_snippet_run_and_a_pause_that_overlap_out_of_order_leave_the_collector_as_it_was():
    """A snippet run (the collector on, its oldest generation walked less often) that began inside another thread's
    pause and ended after it must not put back the off it saw: the CI once found the collector left off for good."""
    import gc
    import threading

    from app.gc_pause import OLD_EVERY, gc_paused, snippet_collections

    wait_until_idle()
    assert gc.isenabled()
    thresholds = gc.get_threshold()
    paused, snippet_in, pause_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def pause():
        with gc_paused():
            paused.set()
            snippet_in.wait(5)
            seen["pause, with a snippet"] = gc.isenabled()
        pause_out.set()

    def snippet():
        paused.wait(5)
        with snippet_collections():
            snippet_in.set()
            pause_out.wait(5)
            seen["snippet alone"] = (gc.isenabled(), gc.get_threshold()[2])
        seen["after"] = (gc.isenabled(), gc.get_threshold())

    threads = [threading.Thread(target=pause), threading.Thread(target=snippet)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {
        "pause, with a snippet": True,  # (a snippet's garbage is freed as plain Python frees it)
        "snippet alone": (True, OLD_EVERY),
        "after": (True, thresholds),
    }


def test_a_run_frees_its_graph_once_it_is_over():
    """Node hooks hold the run's records and kept tensors, which hold the nodes: cycles through C++ that the
    collector cannot break. Every run, finished, failed or capped, must release them, or each capture in a
    long-lived process leaks its whole graph."""
    import gc

    from app.capture.hooks import BackwardRecord
    from app.capture.summary import Summaries
    from app.capture.values import Kept

    def alive() -> int:
        wait_until_idle()
        gc.collect()
        return sum(type(o) in (BackwardRecord, Summaries, Kept) for o in gc.get_objects())

    before = alive()
    model = "model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))\nx = torch.randn(3, 4)\n"
    runs = {
        "ok": model + "y = model(x).exp().sum()\ny.backward()\n",  # a saved output (exp) holds its own node
        "error": model + "y = model(x).sum()\nraise ValueError('stop')\n",
        "limit": model + "for _ in range(50):\n    x = model(x).repeat(1, 4)\n",
    }
    for status, source in runs.items():
        assert capture(source, **{**LIMITS, "max_nodes": 60})["status"] == status
    assert alive() <= before


def test_dumps_writes_array_values_when_orjson_cannot_write_the_run():
    run = capture("x = torch.randn(3, 4, requires_grad=True)\n(x * 2).sum().backward()\n", **LIMITS)
    fast = orjson.loads(dumps(run))
    run["duration_ms"] = 2**70  # an integer orjson refuses: the json module writes it, arrays included
    slow = orjson.loads(dumps(run))
    assert slow.pop("duration_ms") == 2**70
    fast.pop("duration_ms")
    assert same_json(slow, fast)
    assert any(isinstance(n["value"]["data"], list) for n in slow["forward"]["nodes"] if n["kind"] == "tensor")


def test_torchs_own_module_constructors_pass_no_calls_to_the_recorder_unless_given_a_tensor(monkeypatch):
    from torch import nn

    from app.capture.record import Recorder

    calls = []
    recorded = Recorder.__torch_function__

    def counting(self, func, types, args=(), kwargs=None):
        calls.append(getattr(func, "__name__", func))
        return recorded(self, func, types, args, kwargs)

    monkeypatch.setattr(Recorder, "__torch_function__", counting)
    with Recorder(max_nodes=1000, max_elements=64):
        nn.Sequential(nn.Linear(3, 3), nn.ReLU())
        assert calls == []
        weight = torch.ones(5, 3)
        calls.clear()
        nn.Embedding(5, 3, _weight=weight)  # given a tensor, which may be in the graph: its calls pass
        assert calls
    calls.clear()
    nn.Linear(3, 3)  # no recorder: torch's constructor as it is
    assert calls == []


def test_a_snippets_own_module_constructor_is_recorded():
    source = (
        "w = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "class Scaled(nn.Linear):\n"
        "    def __init__(self):\n"
        "        super().__init__(2, 1)\n"
        "        self.doubled = w * 2\n"
        "    def forward(self, x):\n"
        "        return super().forward(x * self.doubled)\n"
        "out = Scaled()(torch.ones(2)).sum()\n"
        "out.backward()\n"
    )
    run = run_snippet(source)
    ops = [(n["op"], n["line"]) for n in run["forward"]["nodes"] if n["kind"] == "op"]
    assert ops == [("mul", 5), ("mul", 7), ("linear", 7), ("sum", 8)]
    assert check_against_torch(run, source) == 2  # w and out: values and gradients as torch has them


def test_the_snippets_own_node_hooks_still_work_and_can_be_removed():
    source = (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "y = x * 3\n"
        "seen = []\n"
        "kept = y.grad_fn.register_hook(lambda grad_in, grad_out: seen.append(grad_out[0].tolist()))\n"
        "gone = y.grad_fn.register_hook(lambda grad_in, grad_out: seen.append('removed hook ran'))\n"
        "gone.remove()\n"
        "y.register_hook(lambda grad: grad * 2)\n"
        "y.sum().backward()\n"
        "print(seen, x.grad.tolist())\n"
    )
    run = run_snippet(source)
    assert run["status"] == "ok", run["error"]
    assert run["stdout"] == "[[2.0, 2.0]] [6.0, 6.0]\n"  # as plain torch prints it
    assert values(last_node_named(run, "x")["grad"]) == [6.0, 6.0]
    # after a capture (its quick hook helper stays installed), hooks made outside one get torch's handles as ever
    y = torch.ones(2, requires_grad=True) * 2
    called = []
    handle = y.grad_fn.register_hook(lambda grad_in, grad_out: called.append(grad_out))
    y.grad_fn.register_hook(lambda grad_in, grad_out: called.append("kept"))
    handle.remove()
    y.sum().backward()
    assert called == ["kept"]


def test_a_node_pre_hook_that_replaces_the_gradient_leaves_the_tensors_own():
    source = (
        "w = torch.tensor([0.5, -1.0], requires_grad=True)\n"
        "h = w * 3\n"
        "h.retain_grad()\n"
        "h.grad_fn.register_prehook(lambda grads: None)\n"
        "h.grad_fn.register_prehook(lambda grads: (grads[0] * 0.5,))\n"
        "h.grad_fn.register_prehook(lambda grads: (grads[0] * 0.5,))\n"
        "(h * 2).sum().backward()\n"
        "print(h.grad.tolist(), w.grad.tolist())\n"
    )
    run = run_snippet(source)
    assert run["stdout"] == "[2.0, 2.0] [1.5, 1.5]\n"  # as plain torch prints it
    h = last_node_named(run, "h")
    assert values(h["grad"]) == [2.0, 2.0]  # torch's gradient of h (its .grad), before the snippet's pre hooks
    node = next(n for n in run["backward"]["nodes"] if n["id"] == h["grad_fn"])
    assert values(node["grad_out"][0]) == [0.5, 0.5]  # what the node ran on, after them
    assert values(last_node_named(run, "w")["grad"]) == [1.5, 1.5]


def test_a_node_pre_hook_that_changes_the_gradient_in_place_leaves_the_tensors_own():
    """`grads[0].mul_(3)` in a node pre hook (returning None): h's gradient is still what flowed into it, 2, and
    the node ran on 6, as with a hook that returns new gradients; it showed 6 for both."""
    source = (
        "w = torch.tensor([0.5, -1.0], requires_grad=True)\n"
        "h = w * 3\n"
        "def triple(grads):\n"
        "    grads[0].mul_(3)\n"
        "h.grad_fn.register_prehook(triple)\n"
        "(h * 2).sum().backward()\n"
        "print(w.grad.tolist())\n"
    )
    run = run_snippet(source)
    assert run["stdout"] == "[18.0, 18.0]\n"  # as plain torch prints it
    h = last_node_named(run, "h")
    assert values(h["grad"]) == [2.0, 2.0]
    node = next(n for n in run["backward"]["nodes"] if n["id"] == h["grad_fn"])
    assert values(node["grad_out"][0]) == [6.0, 6.0]
    sent = next(e for e in run["backward"]["edges"] if e["target"] == h["grad_fn"])
    assert values(sent["grad"]) == [2.0, 2.0]


def test_a_view_made_under_no_grad_whose_base_changed_in_place_is_recorded_without_its_graph():
    # torch raises rather than give such a view's grad_fn or is_leaf; the snippet never asks, so the run goes on
    source = (
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "y = x * 1\n"
        "with torch.no_grad():\n"
        "    v = y[:2]\n"
        "    w = v * 2\n"
        "y.mul_(2)\n"
        "y.sum().backward()\n"
        "print(x.grad.tolist())\n"
    )
    run = run_snippet(source)
    assert run["status"] == "ok", run["error"]
    assert run["stdout"] == "[2.0, 2.0, 2.0]\n"
    assert values(last_node_named(run, "w")["value"]) == [2.0, 4.0]


def test_the_spare_childs_warm_up_runs_clean_and_stops_once_a_job_waits(monkeypatch):
    import os

    import app.capture
    from app.sandbox import worker

    assert run_snippet(worker.WARM_UP_SNIPPET)["status"] == "ok"  # a warm-up that failed would warm nothing
    done = []
    monkeypatch.setattr(worker, "warm_up", lambda: done.append("warm_up"))
    monkeypatch.setattr(app.capture, "touch_heaps", lambda: done.append("touch_heaps"))
    job_r, job_w = os.pipe()
    try:
        worker.warm_up_spare(job_r)
        assert done == ["warm_up", "touch_heaps"]  # no job yet: all of it
        done.clear()
        os.write(job_w, b"job")
        worker.warm_up_spare(job_r)
        assert done == []  # a job waits: none of it
    finally:
        os.close(job_r)
        os.close(job_w)


# -- what real-world snippets need (issue 18) ----------------------------------------------------------------


def tensor_nodes(run: dict, var: str) -> list[dict]:
    return [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == var]


def test_a_tensor_of_more_dimensions_than_a_summary_nests_keeps_its_run():
    """torch takes tensors of hundreds of dimensions; a Run nests values NESTED_DIMS deep at most: deeper ones list
    their values flat (the run was refused whole, its printed lines lost)."""
    source = "x = torch.arange(6.).reshape([1] * 68 + [2, 3]).requires_grad_()\n(x * 2).sum().backward()\n"
    run = run_snippet(source + "print(x.grad.dim())\n")
    assert run["status"] == "ok" and run["stdout"] == "70\n"
    x = last_node_named(run, "x")
    assert x["shape"] == [1] * 68 + [2, 3] and x["value"]["truncated"] and x["value"]["data"] == [0, 1, 2, 3, 4, 5]
    assert x["grad"]["data"] == [2.0] * 6 and x["grad"]["mean"] == 2.0


def test_a_leafs_grad_is_its_value_when_the_snippet_ends():
    """x.grad.zero_() between two backward calls (a textbook pattern): x.grad shows the second pass's [0, 2, 4, 6],
    not the first pass's [0, 4, 8, 12], and what each pass's nodes received stays as it was then."""
    source = (
        "x = torch.arange(4.0, requires_grad=True)\n"
        "y = 2 * torch.dot(x, x)\n"
        "y.backward()\n"
        "first = x.grad\n"
        "x.grad.zero_()\n"
        "y = (x * x).sum()\n"
        "y.backward()\n"
    )
    run = run_snippet(source)
    assert values(last_node_named(run, "x")["grad"]) == [0.0, 2.0, 4.0, 6.0]
    dot = next(n for n in run["backward"]["nodes"] if n["name"] == "DotBackward0")
    assert [values(g) for g in dot["grad_in"]] == [[0.0, 2.0, 4.0, 6.0]] * 2  # each of x's slots, first pass
    first = tensor_nodes(run, "first")
    assert values(first[0]["value"]) == [0.0, 4.0, 8.0, 12.0] and values(first[-1]["value"]) == [0.0, 2.0, 4.0, 6.0]
    assert check_against_torch(run, source) >= 2


def test_backward_called_on_a_leaf_runs_its_accumulate_grad_as_the_pass_root():
    """`loss = torch.tensor(loss.item(), requires_grad=True)`, then `loss.backward()` (a forum "fix"): torch runs the
    new leaf's AccumulateGrad, the pass's root. The backward graph had no node at all, and the page, finding no root,
    said nothing of why model.weight.grad is None (a cut by .item())."""
    source = (
        "w = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "loss = (w * 3).sum()\n"
        "loss = torch.tensor(loss.item(), requires_grad=True)\n"
        "loss.backward()\n"
        "x = torch.ones(3, requires_grad=True)\n"
        "x.backward(torch.full((3,), 2.0))\n"
    )
    run = run_snippet(source)
    loss, x = last_node_named(run, "loss"), last_node_named(run, "x")
    ran = {n["id"]: n for n in run["backward"]["nodes"] if n["order"] is not None}
    assert ran[loss["grad_accumulator"]]["order"] == 0 and ran[loss["grad_accumulator"]]["backward_pass"] == 1
    assert ran[x["grad_accumulator"]]["order"] == 0 and ran[x["grad_accumulator"]]["backward_pass"] == 2
    assert values(ran[x["grad_accumulator"]]["seed"][0]) == [2.0] * 3
    assert last_node_named(run, "w")["grad_accumulator"] not in ran  # (cut off by .item(): it never ran)
    assert check_against_torch(run, source) >= 3


def test_gradients_kept_from_an_earlier_pass_survive_autograd_accumulating_into_grad():
    """Autograd adds into an existing .grad in place: the gradients an earlier pass produced keep their values."""
    source = "x = torch.ones(2, requires_grad=True)\n(x * 3).sum().backward()\n(x * x).sum().backward()\n"
    run = run_snippet(source)
    first, second = (n for n in run["backward"]["nodes"] if n["name"] == "MulBackward0")
    assert values(first["grad_in"][0]) == [3.0, 3.0] and first["backward_pass"] == 1
    assert [values(g) for g in second["grad_in"]] == [[1.0, 1.0], [1.0, 1.0]]
    assert values(last_node_named(run, "x")["grad"]) == [5.0, 5.0]


HINTED = {  # common errors whose message no hint matched (an LSTM's state: hidden[0], hidden[1])
    "lstm_state_of_the_last_batch": (
        "lstm = nn.LSTM(3, 5)\nh = (torch.zeros(1, 3, 5), torch.zeros(1, 3, 5))\n"
        "out, h = lstm(torch.randn(2, 1, 3), h)\n",
        ("make h0 with the shape (1, 1, 5)", "drop_last=True"),
        ("(1, 1, 5)인 h0을", "마지막 배치는"),
    ),
    "lstm_cell_state": (
        "lstm = nn.LSTM(3, 5)\nout = lstm(torch.randn(4, 2, 3), (torch.zeros(1, 2, 5), torch.zeros(2, 2, 5)))\n",
        ("layers (num_layers) (its axis 0) is 2", "make c0 with the shape (1, 2, 5)"),
        ("c0을",),
    ),
    "target_column": (
        "F.cross_entropy(torch.randn(3, 4), torch.tensor([[1], [0], [3]]))\n",
        ("target.squeeze(1)",),
        ("target.squeeze(1)",),
    ),
    "data_parallel_keys": (
        "m = nn.Linear(2, 1)\nm.load_state_dict(nn.DataParallel(nn.Linear(2, 1)).state_dict())\n",
        ("removeprefix('module.')",),
        ("앞머리를",),
    ),
    "other_keys": (
        "m = nn.Linear(2, 1)\nm.load_state_dict({'weight': torch.zeros(1, 2)})\n",
        ("strict=False",),
        ("strict=False",),
    ),
    "sequence_scores_for_cross_entropy": (
        "logits = torch.randn(2, 5, 7)\ny = torch.randint(0, 7, (2, 5))\nF.cross_entropy(logits, y)\n",
        ("logits.transpose(1, 2)", "got [2, 5]"),
        ("(N, T, C) 모양의 점수",),
    ),
    "in_place_broadcast": (
        "a = torch.zeros(1)\na += torch.ones(3)\n",
        ("x of shape [1] cannot hold a result of shape [3]",),
        ("x = x + y",),
    ),
    "numpy_float64_into_conv": (
        "import numpy as np\nnn.Conv2d(1, 2, 3)(torch.from_numpy(np.random.rand(1, 1, 5, 5)))\n",
        ("x.float()",),
        ("float64",),
    ),
    "numpy_array_into_linear": (
        "import numpy as np\nnn.Linear(3, 1)(np.ones((2, 3), dtype=np.float32))\n",
        ("torch.from_numpy(array).float()",),
        ("NumPy 배열이 아니라",),
    ),
    "full_backward_hook_and_inplace_relu": (
        "m = nn.Sequential(nn.Linear(3, 3), nn.ReLU(inplace=True))\nm[0].register_full_backward_hook(lambda *a: None)\n"
        "m(torch.randn(2, 3, requires_grad=True)).sum().backward()\n",
        ("nn.ReLU(inplace=False)",),
        ("m.inplace = False",),
    ),
    "write_into_expanded": ("x = torch.ones(3).expand(2, 3)\nx.add_(1)\n", ("x.clone()",), ("x.clone()",)),
    "complex_loss": (
        "z = torch.randn(3, dtype=torch.cfloat, requires_grad=True)\n(z * z).sum().backward()\n",
        ("(z.abs() ** 2).sum()",),
        ("실수로",),
    ),
    "integer_tensor_in_place": ("x = torch.arange(3)\nx += 0.5\n", ("x = x.float()",), ("x = x + 0.5",)),
    "integer_tensor_softmax": ("F.softmax(torch.tensor([1, 2, 3]), dim=0)\n", ("x.float()",), ("torch.long",)),
    "integer_tensor_mean": ("torch.arange(4).mean()\n", ("torch.arange(3.0)",), ("x.float()",)),
    "batch_norm_of_one_example": ("nn.BatchNorm1d(4)(torch.randn(1, 4))\n", ("model.eval()",), ("drop_last=True",)),
    "float_indices": ("x = torch.randn(5)\nx[torch.tensor([0.0, 2.0])]\n", ("idx.long()",), ("idx.long()",)),
    "float_index_to_gather": (
        "torch.randn(3, 4).gather(1, torch.tensor([[0.0], [1.0], [2.0]]))\n",
        ("idx.long()",),
        ("정수(torch.long)",),
    ),
    "one_tensor_to_an_optimizer": (
        "w = torch.randn(2, requires_grad=True)\ntorch.optim.SGD(w, lr=0.1)\n",
        ("torch.optim.SGD([w], lr=0.1)",),
        ("리스트에 넣고",),
    ),
    "parameters_not_called": (
        "m = nn.Linear(2, 1)\ntorch.optim.SGD(m.parameters, lr=0.1)\n",
        ("call it, model.parameters()",),
        ("호출하세요",),
    ),
    "model_to_clip_grad_norm": (
        "m = nn.Linear(2, 1)\nm(torch.randn(3, 2)).sum().backward()\ntorch.nn.utils.clip_grad_norm_(m, 1.0)\n",
        ("A model (Linear) was given where its parameters go",),
        ("모델(Linear)을",),
    ),
    "zero_grad_of_a_tensor": (
        "w = torch.randn(2, requires_grad=True)\nw.zero_grad()\n",
        ("w.grad = None",),
        ("직접 지웁니다",),
    ),
    "cat_dim_of_a_1d_tensor": (  # (its example was softmax's, whatever the line called)
        "torch.cat([torch.randn(2), torch.randn(3)], dim=1)\n",
        ("cat([...], dim=1) of a 1-D tensor needs dim=0",),
        ("cat([...], dim=1)은",),
    ),
    "mean_dim_past_the_last_axis": (
        "torch.randn(3, 4).mean(dim=2)\n",
        ("the last is dim=1",),
        ("dim=2를 주었습니다",),
    ),
    "target_past_the_classes": (
        "F.cross_entropy(torch.randn(2, 3), torch.tensor([0, 3]))\n",
        ("Target 3 is no class of the scores", "out_features"),
        ("정답 3은",),
    ),
    "negative_target": ("F.nll_loss(torch.randn(2, 3), torch.tensor([0, -2]))\n", ("ignore_index",), ("정답 -2가",)),
    "bmm_shapes": (
        "torch.bmm(torch.randn(2, 3, 4), torch.randn(2, 5, 6))\n",
        ("5 rows where 2 of 4 were needed", "transpose(1, 2)"),
        ("행 5개짜리",),
    ),
    "deepcopy_of_a_module_keeping_its_output": (
        "import copy\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.lin = nn.Linear(2, 2)\n    def forward(self, x):\n        self.cache = self.lin(x)\n"
        "        return self.cache\nm = M()\nm(torch.randn(1, 2))\ncopy.deepcopy(m)\n",
        ("self.cache = out.detach()",),
        ("state_dict를",),
    ),
    "in_place_on_unbind_output": (
        "a, b = (torch.randn(2, requires_grad=True) * 2).unbind()\na.mul_(2)\n",
        ("a = a.clone()",),
        ("복사본을",),
    ),
    "no_grad_not_called": ("with torch.no_grad:\n    pass\n", ("`with torch.no_grad():`",), ("no_grad는",)),
    "format_spec_of_a_vector": ("x = torch.randn(3)\nprint(f'{x:.3f}')\n", ("x.tolist()",), ("값마다",)),
    "one_cycle_past_its_steps": (
        "m = nn.Linear(2, 1)\no = torch.optim.SGD(m.parameters(), lr=0.1)\n"
        "s = torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=2)\nfor _ in range(3):\n"
        "    o.step()\n    s.step()\n",
        ("steps_per_epoch=len(loader)",),
        ("total_steps번",),
    ),
    "item_inside_vmap": (
        "from torch.func import vmap\nvmap(lambda x: x if x.sum().item() > 0 else -x)(torch.randn(3, 2))\n",
        ("torch.where",),
        ("torch.where",),
    ),
    "cuda_on_the_cpu": ("m = nn.Linear(2, 1).cuda()\n", ("torch.cuda.is_available()",), ("GPU 없이",)),
    "mps_device": ("m = nn.Linear(2, 1).to('mps')\n", ("torch.cuda.is_available()",), ("CPU에서",)),
    "checkpoint_not_there": ("torch.load('model.pt')\n", ("torch.save(model.state_dict()",), ("샌드박스",)),
    "torchvision_import": (
        "from torchvision import datasets\n",
        ("The module torchvision is not installed", "torch.randn(N, 1, 28, 28)"),
        ("torchvision 모듈은",),
    ),
    "matplotlib_import": ("import matplotlib.pyplot as plt\n", ("Print the values",), ("값을 출력하세요",)),
    "closure_returns_none": (
        "w = torch.ones(2, requires_grad=True)\nopt = torch.optim.LBFGS([w])\n"
        "def closure():\n    opt.zero_grad()\n    (w ** 2).sum().backward()\nopt.step(closure)\n",
        ("return loss",),
        ("return loss",),
    ),
}


@pytest.mark.parametrize("case", sorted(HINTED))
def test_common_errors_get_hints_with_what_to_do(case):
    code, en, ko = HINTED[case]
    run = run_snippet(code)
    hint = run["error"]["hint"]
    assert hint is not None, run["error"]["message"]
    assert all(part in hint["en"] for part in en) and all(part in hint["ko"] for part in ko), hint


@pytest.mark.parametrize(
    ("code", "en", "ko"),
    [
        (  # a gradient penalty whose gradient was taken without create_graph=True
            "x = torch.randn(4, 2, requires_grad=True)\nD = nn.Linear(2, 1)\n"
            "grads = torch.autograd.grad(D(x).sum(), x)[0]\ngp = ((grads.norm(2, dim=1) - 1) ** 2).mean()\n"
            "gp.backward()\n",
            "gp is not part of any graph: it was computed from the gradient torch.autograd.grad() returned on line 3",
            "3번 줄에서 torch.autograd.grad()가 돌려준 그래디언트로",
        ),
        (
            "w = torch.randn(3, requires_grad=True)\n(w ** 3).sum().backward()\ng = w.grad\npen = (g ** 2).sum()\n"
            "pen.backward()\n",
            "pen is not part of any graph: it was computed from a .grad read on line 3",
            "3번 줄에서 읽은 .grad로",
        ),
        (
            "w = torch.randn(3, requires_grad=True)\ng, = torch.autograd.grad((w * 2).sum(), w, create_graph=True)\n"
            "h = g.sum()\nh.backward()\n",
            "with create_graph=True, and that gradient requires no grad all the same",
            "선형 함수의 그래디언트는 상수",
        ),
    ],
)
def test_a_tensor_made_from_a_gradient_outside_the_graph_is_told_of_create_graph(code, en, ko):
    """It was told its values came through .item() or torch.tensor()."""
    hint = run_snippet(code)["error"]["hint"]
    assert en in hint["en"] and ko in hint["ko"] and ".item()" not in hint["en"], hint


@pytest.mark.parametrize(
    "code",
    [
        "x = float(None)\n",
        "for i in 5:\n    pass\n",
        "torch.randn(2).foo\n",
        "sum(nn.Linear(2, 1))\n",
        "class A:\n    pass\nwith A:\n    pass\n",
    ],
)
def test_errors_like_the_hinted_ones_elsewhere_get_no_hint(code):
    """float(None) outside an optimizer's step is no closure's; a module not iterated by an optimizer, a tensor's
    missing attribute that no module has."""
    assert run_snippet(code)["error"]["hint"] is None


@pytest.mark.parametrize(
    "call", ["(a + c).backward(retain_graph=True)", "torch.autograd.grad(a + c, x, retain_graph=True)"]
)
def test_outputs_of_a_node_a_later_pass_gave_no_gradient_keep_the_one_an_earlier_pass_gave(call):
    """unbind's node runs again in `b`'s pass, which sends `a` and `c` nothing: they keep what the first pass sent
    them, as a tensor whose node the later pass did not run at all keeps its own (they showed None)."""
    source = f"x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\na, b, c = (x * 2).unbind(0)\n{call}\n"
    source += "(b * 3).backward()\n"
    run = run_snippet(source)
    assert [values(last_node_named(run, v)["grad"]) for v in "abc"] == [[1.0], [3.0], [1.0]]
    assert check_against_torch(run, source) >= 4


def test_a_gan_step_with_two_optimizers_shows_every_gradient_as_torch_has_it():
    source = (CORPUS / "gan_step.py").read_text()
    run = run_snippet(source)
    plain = run_plain(source)
    compared = 0
    for net in ("G", "D"):
        for name, parameter in plain.namespace[net].named_parameters(prefix=net):
            node = last_node_named(run, name)
            assert values(node["grad"]) == approx(parameter.grad.reshape(-1).tolist()), name
            assert values(node["value"]) == approx(parameter.detach().reshape(-1).tolist()), name
            compared += 1
    assert compared == 8


def test_torch_func_runs_keep_their_output_and_mark_what_cannot_be_read():
    """jacrev, hessian, vmap(grad(...)): the run ends ok, with what the snippet printed and its results; the
    wrappers torch.func made inside its transforms are marked unreadable, not guessed."""
    for name in ("func_jacrev.py", "func_hessian.py", "func_vmap_grad.py"):
        source = (CORPUS / name).read_text()
        run = run_snippet(source)
        check_output_and_error(run, source)
        assert check_against_torch(run, source) >= 2
        summaries = [n["grad"] for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["grad"]]
        summaries += [g for n in run["backward"]["nodes"] for g in n["grad_in"] if g]
        marked = [s for s in summaries if s.get("unreadable")]
        assert marked and all(s["data"] is None and "torch.func" in s["unreadable"] for s in marked), name


def test_a_non_leaf_the_code_called_retain_grad_on_says_so():
    """`h.retain_grad()`: h's node says PyTorch keeps its `.grad` (`retains_grad`), which is what it shows; other
    non-leaves and leaves say no."""
    source = "x = torch.ones(2, requires_grad=True)\nh = x * 2\nh.retain_grad()\ny = (h * 3).sum()\ny.backward()\n"
    run = run_snippet(source)
    assert check_against_torch(run, source) >= 3
    assert {n["var"]: n["retains_grad"] for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"]} == {
        "x": False,
        "h": True,
        "y": False,
    }


def test_a_torch_func_wrapper_changed_in_place_is_marked_as_a_wrapper():
    """`b = a.clone(); b.add_(1)` inside `grad(f)`: b's first value was said to have "changed in place before gradwalk
    could keep a copy"; it is a torch.func wrapper, whose values exist only inside the transform, and says so."""
    source = """
        from torch.func import grad
        def f(a):
            b = a.clone()
            b.add_(1)
            return (b * b).sum()
        x = torch.tensor([1.0, 2.0, 3.0])
        g = grad(f)(x)
        print(g)
    """
    run = run_snippet(source)
    check_output_and_error(run, source)
    values = [n["value"] for n in run["forward"]["nodes"] if n["kind"] == "tensor"]
    marked = [v["unreadable"] for v in values if v.get("unreadable")]
    assert marked and all("torch.func" in reason for reason in marked), marked


def test_an_in_place_change_inside_a_torch_func_transform_keeps_the_value_before_it():
    """A BatchNorm run by `functional_call` under `grad` (and `vmap`) adds 1 to the snippet's own
    `num_batches_tracked` through torch.func's wrapper of it: the buffer's value when the snippet made it was said to
    have "changed in place before gradwalk could keep a copy" (and its running mean showed the value after the
    change). The wrapper's change writes the buffer's memory, and what was kept of it is copied first, as before any
    change in place; a copy made inside the transform (of `decay`, which the function changes itself) was the
    transform's wrapper of it, shown as "a torch.func wrapper", and is a plain copy."""
    source = """
        from torch.func import functional_call, grad, vmap
        net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
        params = {k: v.detach() for k, v in net.named_parameters()}
        buffers = {k: v.detach() for k, v in net.named_buffers()}
        def loss_fn(p, b, x):
            return functional_call(net, (p, b), (x,)).pow(2).sum()
        g = grad(loss_fn)(params, buffers, torch.randn(4, 3))
        counts = torch.zeros(2)
        def tally(row, c):
            c.add_(1)
            return row.sum()
        sums = vmap(tally, in_dims=(0, None))(torch.ones(2, 3), counts)
        decay = torch.ones(2)
        def decayed(w):
            decay.mul_(0.5)
            return (w * w).sum()
        gw = grad(decayed)(torch.tensor([1.0, 2.0]))
        print(net[1].num_batches_tracked, net[1].running_mean, counts, decay)
    """
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 6
    first = {}
    for n in run["forward"]["nodes"]:
        if n["kind"] == "tensor" and n["var"] is not None:
            first.setdefault(n["var"], n["value"])
    assert first["net.1.num_batches_tracked"]["data"] == 0, first["net.1.num_batches_tracked"]
    assert first["net.1.running_mean"]["data"] == [0.0, 0.0], first["net.1.running_mean"]
    assert first["counts"]["data"] == [0.0, 0.0], first["counts"]
    assert first["decay"]["data"] == [1.0, 1.0], first["decay"]


def test_functionalize_leaves_every_other_value_right():
    """torch.func.functionalize's wrappers hold no values in their own storage: read, they gave whatever the memory
    held, and stacked in one copy with other tensors of their shape (how values are read in bulk), they turned the
    snippet's own `x` and `a` into garbage too. They are marked unreadable, as torch.func's other wrappers are."""
    source = """
        from torch.func import functionalize
        def scaled(t):
            y = t.clone()
            y.mul_(2)
            return y.sum()
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        a = x * 1
        val = functionalize(scaled)(x)
        b = functionalize(lambda t: t * 3)(a)
        (val + b.sum()).backward()
        print(val, b, x.grad)
    """
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 4  # x (and its grad), a, val, b
    values = [n["value"] for n in run["forward"]["nodes"] if n["kind"] == "tensor"]
    marked = [v for v in values if v.get("unreadable")]
    assert marked and all(v["data"] is None and "torch.func" in v["unreadable"] for v in marked)
    shown = [x for v in values if not v.get("unreadable") for x in flat(v["data"])]
    assert all(abs(x) <= 30 for x in shown), shown  # (every value of this run is small: none read from stray memory)


def test_a_snippet_recurses_as_deep_as_in_plain_python(tmp_path):
    """The snippet's top level runs some frames deeper than a file's, and the recorder adds frames to each torch
    call: recursion a dozen frames short of Python's limit raised RecursionError only under gradwalk. Each module call
    runs in one frame more (its `nn.Module.__call__` follows the call): a tree net calling itself 700 deep, which a
    limit of 3000 lets through in plain Python (746 at most: 4 calls a level), raised RecursionError past 602. It
    recurses as deep as `python FILE` lets it, and sees the limit it set."""
    source = """
        import sys
        print(sys.getrecursionlimit())
        a = torch.tensor(1.5, requires_grad=True)
        lin = nn.Linear(2, 2)
        def fraction(depth):
            return a if depth == 0 else a + 1 / fraction(depth - 1)
        def tree(x, depth):
            return lin(x) if depth == 0 else torch.tanh(lin(tree(x, depth - 1)))
        value = fraction(sys.getrecursionlimit() - 12)
        value.backward()
        print(value, a.grad)
        sys.setrecursionlimit(1500)
        print(sys.getrecursionlimit())
        out = tree(torch.ones(1, 2), sys.getrecursionlimit() - 12)
        out.sum().backward()
        print(lin.weight.grad.shape)
        sys.setrecursionlimit(3000)
        class Tree(nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = nn.Linear(2, 2)
            def forward(self, x, depth):
                if depth == 0:
                    print(sys.getrecursionlimit())
                    return self.lin(x)
                return self(x, depth - 1)
        print(Tree()(torch.ones(1, 2), 700).shape)
    """
    before = sys.getrecursionlimit(), sys.getrecursionlimit, sys.setrecursionlimit
    run = run_snippet(source)
    assert run["status"] == "ok", run["error"]
    path = tmp_path / "snippet.py"
    path.write_text("import torch\nfrom torch import nn\n" + prepare_source(source))
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True)
    assert run["stdout"] == plain.stdout
    assert run["stdout"].split("\n")[0] == str(before[0]) and "\n1500\n" in run["stdout"]
    assert run["stdout"].endswith("\n3000\ntorch.Size([1, 2])\n")
    assert (sys.getrecursionlimit(), sys.getrecursionlimit, sys.setrecursionlimit) == before  # all put back
    assert run_snippet("import sys\nsys.setrecursionlimit('deep')")["error"]["type"] == "TypeError"
    assert run_snippet("import sys\nsys.setrecursionlimit(0)")["error"]["type"] == "ValueError"
    assert run_snippet("import sys\nsys.setrecursionlimit(2**31)")["error"]["type"] == "OverflowError"
    most = run_snippet("import sys\nsys.setrecursionlimit(2**31 - 1)\nprint(sys.getrecursionlimit())")
    assert most["stdout"] == f"{2**31 - 1}\n"


def test_names_past_a_thousand_characters_are_cut_and_the_run_kept():
    """A Run holds names of at most 1000 characters: a longer variable, module path, dict key, custom Function or
    exception name made the whole run a SandboxError, its graphs and printed output lost."""
    long = "w" * 1200
    source = f"""
        print("kept")
        {long} = torch.ones(2, requires_grad=True)
        net = inner = nn.Sequential()
        for i in range(12):
            child = nn.Sequential(nn.Linear(2, 2)) if i == 11 else nn.Sequential()
            inner.add_module("m" * 90 + str(i), child)
            inner = child
        class {"F" * 1100}(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2
            @staticmethod
            def backward(ctx, g):
                return g * 2
        d = {{"k" * 1001: {long}}}
        y = ({"F" * 1100}.apply(d["k" * 1001]) + net(torch.ones(1, 2)).sum()).sum()
        y.backward()
        class {"E" * 1001}(Exception):
            pass
        raise {"E" * 1001}("the end")
    """
    run = run_snippet(source)  # (a valid Run)
    assert run["stdout"] == "kept\n" and run["error"]["type"] == "E" * 999 + "…" and run["error"]["line"] == 21
    names = [n.get("var") or "" for n in run["forward"]["nodes"]] + [
        n.get("module") or "" for n in run["forward"]["nodes"]
    ]
    names += [n["name"] for n in run["backward"]["nodes"]]
    assert "w" * 999 + "…" in names and ("F" * 999 + "…") in names
    assert any(n.endswith("…") and n.startswith("net." + "m" * 90) for n in names)
    assert max(map(len, names)) == 1000


def test_an_unnamed_tensors_expression_past_a_thousand_characters_is_cut_and_the_run_kept():
    """A tensor a module made inside an nn.Sequential is called by the module's path and its op
    (`model.<name> → linear`): a path cut to 1000 characters then got ` → linear` after it, past what a Run holds, and
    the whole run was a SandboxError, its graphs and printed output lost."""
    source = """
        model = nn.Sequential()
        model.add_module("m" * 3000, nn.Linear(2, 2))
        model.add_module("n", nn.Linear(2, 1))
        model(torch.ones(1, 2)).sum().backward()
        print("kept")
    """
    run = run_snippet(source)  # (a valid Run)
    exprs = [n.get("expr") or "" for n in run["forward"]["nodes"]]
    assert run["stdout"] == "kept\n" and max(map(len, exprs)) == 1000
    assert any(e.startswith("model." + "m" * 900) and e.endswith("…") for e in exprs)


def test_a_hook_recursing_thousands_deep_raises_as_in_plain_python():
    """The recorder drops its own frames from a traceback passing through it; relinking one 30k frames deep took
    it 0.8 s (each link walked the chain after it), again at each frame the exception left, and the run timed out
    with its output lost. Writing bytes to sys.stdout raises plain Python's TypeError."""
    source = """
        import sys
        print("started")
        sys.setrecursionlimit(30000)
        def hook(g):
            return hook(g)
        x = torch.ones(2, requires_grad=True)
        x.register_hook(hook)
        try:
            (x * 2).sum().backward()
        except RecursionError:
            print("caught RecursionError")
        sys.stdout.write(b"bytes")
    """
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert run["stdout"] == "started\ncaught RecursionError\n" and run["error"]["type"] == "TypeError"


def test_torch_cond_and_while_loop_run_as_in_plain_torch():
    """torch.cond and while_loop run eagerly by compiling their branches whole: the compiler traced into the
    recorder (a torch function mode) and the run ended in UncapturedHigherOrderOpError, where plain torch runs.
    They run without the recorder; their outputs join the graph, and backward through them is recorded."""
    source = """
        from torch._higher_order_ops import while_loop
        x = torch.tensor([0.5, 1.0], requires_grad=True)
        w = torch.tensor(2.0, requires_grad=True)
        out = torch.cond(x.sum() > 0, lambda t, s: (t * s).sin(), lambda t, s: t.cos(), (x, w))
        loss = out.sum()
        loss.backward()
        print(out, x.grad, w.grad)
        i, total = while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * 2), (torch.tensor(0), torch.ones(2)))
        print(i, total)
    """
    run = run_snippet(source)
    assert run["status"] == "ok", run["error"]
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 6
    assert any(n["name"] == "CondAutogradOpBackward" for n in run["backward"]["nodes"])


def test_gradcheck_runs_unrecorded_and_answers_as_in_plain_torch():
    """gradcheck measures each gradient by nudging each input in turn: its 213 ops and backward calls were drawn, for
    a 3-element input, around the snippet's 5 nodes. They run unrecorded; what it prints, returns and raises (on the
    snippet's line) is plain torch's, and the snippet's own graph is all that is drawn."""
    source = """
        from torch.autograd.gradcheck import gradgradcheck
        class Cube(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3
            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return 3 * x ** 2 * g
        class Wrong(Cube):
            @staticmethod
            def backward(ctx, g):
                return 2 * g
        x = torch.randn(3, dtype=torch.double, requires_grad=True)
        print(torch.autograd.gradcheck(Cube.apply, (x,)), gradgradcheck(lambda t: t.sin(), (x,)))
        y = Cube.apply(x).sum()
        y.backward()
        print(x.grad)
        torch.autograd.gradcheck(Wrong.apply, (x,))
    """
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert run["error"]["type"] == "GradcheckError" and run["error"]["line"] == 21
    assert check_against_torch(run, source) >= 2
    assert {n["line"] for n in run["forward"]["nodes"]} == {7, 16, 18}  # (Cube's forward, x, and line 18's ops)
    assert run["backward_passes"] == 1 and len(run["backward"]["nodes"]) == 3


def test_torch_compiles_own_locals_name_nothing():
    """torch.compile resumes a function after a graph break in code of its own, whose locals (`___stack0`) are no
    names of the snippet's: the tensor keeps its expression."""
    source = """
        def f(x):
            return torch.sin(x) ** 2
        x = torch.tensor([0.5, 1.0], requires_grad=True)
        y = torch.compile(f, backend="eager")(x)
        y.sum().backward()
        print(x.grad)
    """
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 2
    tensors = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor"]
    assert not [n["var"] for n in tensors if n["var"] and n["var"].startswith("_")]
    assert any(n.get("expr") == "torch.sin(x)" for n in tensors)


def test_torch_compiled_code_runs_eagerly_and_is_recorded():
    """Functions and modules compiled with torch.compile run eagerly under the recorder, each op inside recorded,
    with the values plain torch computes (the compiler traced into the recorder for seconds, then fell back)."""
    source = """
        def f(x):
            return torch.sin(x) * x ** 2
        model = torch.compile(nn.Sequential(nn.Linear(3, 2), nn.Tanh()), backend="eager")
        x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
        y = torch.compile(f, backend="eager")(x)
        out = model(y).sum()
        out.backward()
        print(x.grad, model._orig_mod[0].weight.grad)
    """
    from torch._dynamo.utils import counters

    traced = counters["frames"]["total"]
    found: dict = {}
    capture_here(prepare_source(source), deliver=found.update, **LIMITS)  # (here: the compiler's counters are ours)
    assert counters["frames"]["total"] == traced  # (no frame traced: it traced 5, for 4 s)
    run = run_snippet(source)
    assert run["status"] == "ok", run["error"]
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 4
    names = {n["name"] for n in run["backward"]["nodes"]}
    assert {"SinBackward0", "PowBackward0", "MulBackward0", "AddmmBackward0", "TanhBackward0"} <= names


def test_a_fullgraph_compile_runs_eagerly_as_plain_torch_runs_it_compiled():
    """`torch.compile(..., fullgraph=True)` ran eagerly under the recorder, and torch then raised "found no compiled
    frames" where plain torch runs the compiled code: the stance torch reads says "force_eager" while recording."""
    source = """
        @torch.compile(backend="eager", fullgraph=True)
        def f(x):
            return x.sin().sum()
        model = nn.Linear(3, 1)
        compiled = torch.compile(model, fullgraph=True, backend="eager")
        x = torch.randn(3, requires_grad=True)
        out = f(x) + compiled(x).sum()
        out.backward()
        print(x.grad)
    """
    run = run_snippet(source)
    assert run["status"] == "ok", run["error"]
    check_output_and_error(run, source)
    plain = run_plain(source, note_gradients=False).namespace  # (the noting mode, traced into compiled code, cuts it)
    for name, tensor in (("x", plain["x"]), ("model.weight", plain["model"].weight)):
        assert flat(last_node_named(run, name)["grad"]["data"]) == approx(tensor.grad.flatten().tolist()), name
    assert "SinBackward0" in {n["name"] for n in run["backward"]["nodes"]}


def test_a_snippet_that_compiles_runs_its_code_eagerly_with_the_compiler_loaded_before_its_run():
    """torch._dynamo, which an optimizer's first step, torch.func and checkpoint load (1.2 s of CPU), is loaded with the
    engine, before a run's clock starts (a worker loads the engine before it forks a run's child): `gradwalk capture`
    loaded it on the run's time, and a transformer's 5 training steps ran out of it. A snippet that calls
    torch.compile still runs its code eagerly, nothing traced."""
    probe = """
import sys
from app.capture import capture_here, prepare_source
from tests.oracle import LIMITS
print("torch._dynamo" in sys.modules)
found = {}
capture_here("x = torch.ones(2, requires_grad=True)\\n(x * 2).sum().backward()\\n", deliver=found.update, **LIMITS)
source = "f = torch.compile(lambda t: t.sin() * 2, backend='eager')\\nx = torch.ones(2, requires_grad=True)\\n"
source += "f(x).sum().backward()\\n"
capture_here(source, deliver=found.update, **LIMITS)
from torch._dynamo.utils import counters
print(found["status"], counters["frames"]["total"], sorted({n["name"] for n in found["backward"]["nodes"]}))
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == [
        "True",
        "ok 0 ['AccumulateGrad', 'MulBackward0', 'SinBackward0', 'SumBackward0']",
    ]


def test_a_backward_run_under_inference_mode_is_recorded_as_plain_torch_runs_it():
    """Gradients made under `torch.inference_mode()` (a backward call inside it, a hook's result) are inference
    tensors, which keep no version: the run ended with 'Inference tensors do not track version counter', an error
    plain Python never raises."""
    source = """
        a = torch.tensor([0.5, 1.0, -2.0], requires_grad=True)
        c = (a * a).sin().sum()
        a.register_hook(lambda g: g * 0.5)
        with torch.inference_mode():
            c.backward(retain_graph=True)
            c.backward()
        print(a.grad, a.grad.is_inference())
    """
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 2
    assert run["backward_passes"] == 2


def test_a_backward_pass_on_meta_tensors_is_explained_without_values():
    """`with torch.device("meta")` (shapes worked out without data): its backward's gradients are meta tensors too.
    Explaining a leaf's AccumulateGrad read their values, and the whole run was lost to 'Cannot copy out of meta
    tensor'."""
    source = """
        with torch.device("meta"):
            net = nn.Linear(3, 2)
            out = net(torch.empty(4, 3))
            out.sum().backward()
        print(out.shape, net.weight.grad.device)
    """
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 2
    accumulate = [n for n in run["backward"]["nodes"] if n["name"] == "AccumulateGrad"]
    assert accumulate and all("meta tensor" in n["explain"]["words"]["en"] for n in accumulate)


def test_a_bug_in_explaining_one_node_is_a_failed_check_and_the_run_goes_on(monkeypatch):
    """An exception while a node is explained, outside its rule's own evaluation (reading a leaf's values for
    AccumulateGrad's words), lost the whole run; it is that node's failed check now."""

    def broken_rule(*args, **kwargs):
        raise RuntimeError("no values here")

    monkeypatch.setattr("app.explain.rules.special.explain_accumulate", broken_rule)
    run = run_snippet("x = torch.ones(2, requires_grad=True)\n(x * 3).sum().backward()\nprint(x.grad)\n")
    assert run["status"] == "ok" and run["stdout"] == "tensor([3., 3.])\n"
    accumulate = next(n for n in run["backward"]["nodes"] if n["name"] == "AccumulateGrad")
    assert accumulate["explain"]["inputs"][0]["check"]["ok"] is False
    assert "no values here" in accumulate["explain"]["words"]["en"]


def test_a_snippets_own_base_exception_ends_the_run_as_an_error_on_its_line():
    """`raise KeyboardInterrupt` (a script's way out of a loop), or an exception class of its own derived from
    BaseException: plain Python ends there with a traceback; the run was lost as a fault of gradwalk's (no line, no
    printed output, no graphs)."""
    for raised, kind in (("KeyboardInterrupt", "KeyboardInterrupt"), ('Stop("done")', "Stop")):
        source = (
            "class Stop(BaseException):\n"
            "    pass\n"
            "x = torch.ones(2, requires_grad=True)\n"
            "(x * 2).sum().backward()\n"
            "print(x.grad)\n"
            f"raise {raised}\n"
        )
        run = run_snippet(source)
        assert run["status"] == "error" and (run["error"]["type"], run["error"]["line"]) == (kind, 6)
        assert run["stdout"] == "tensor([2., 2.])\n" and last_node_named(run, "x") is not None


def test_a_memory_error_the_snippet_raises_itself_is_its_error_not_the_memory_limit():
    """`raise MemoryError("over budget")` (a snippet's own budget check) ends as plain Python ends, a MemoryError on
    its line; it was reported as the run's memory limit. Python's own MemoryError carries no message."""
    source = "x = torch.ones(3, requires_grad=True)\nraise MemoryError(f'{x.numel()} tensors over budget')\n"
    run = run_snippet(source)
    assert run["status"] == "error" and (run["error"]["type"], run["error"]["line"]) == ("MemoryError", 2)
    for raised in ("MemoryError", "MemoryError('std::bad_alloc')"):  # (Python's own, C++'s through pybind11)
        run = run_snippet(f"x = torch.ones(3)\nraise {raised}\n")
        assert run["status"] == "limit"


def test_the_memory_limit_met_again_as_the_snippets_error_unwinds_keeps_the_snippets_line(monkeypatch):
    """Filled to the last KiB, the run met the limit on line 3; finishing the recording as that error unwound met
    it again in gradwalk's own frames, and the limit was said without a line (`MemoryLimit`, line None)."""
    from app.capture.record import Recorder

    finish = Recorder.finish

    def out_of_memory_too(self, *args, **kwargs):
        finish(self, *args, **kwargs)
        raise MemoryError

    monkeypatch.setattr(Recorder, "finish", out_of_memory_too)
    run = run_snippet("x = torch.ones(3, requires_grad=True)\ny = (x * 2).sum()\nraise MemoryError\n")
    assert run["status"] == "limit" and (run["error"]["type"], run["error"]["line"]) == ("MemoryLimit", 3), run["error"]


def test_a_vectorized_jacobians_batched_gradients_are_marked_not_checked():
    """`torch.autograd.functional.jacobian(vectorize=True)` batches its gradients with the older vmap, whose tensors
    cannot be read either: marked as a transform's values, and no explanation fails on them."""
    source = """
        from torch.autograd.functional import jacobian
        x = torch.tensor([0.5, -1.0, 2.0])
        J = jacobian(lambda v: torch.tanh(v) * v, x, vectorize=True)
        print(J.diagonal())
    """
    run = run_snippet(source)
    check_output_and_error(run, source)
    received = [g for n in run["backward"]["nodes"] for g in n["grad_in"] if g]
    assert received and all(g["data"] is None and "torch.func" in g["unreadable"] for g in received)
    checks = [e["check"] for n in run["backward"]["nodes"] if n["explain"] for e in n["explain"]["inputs"]]
    assert checks and all(c is None for c in checks)


def test_a_dataloader_with_workers_loads_in_process_as_its_workers_would(monkeypatch):
    """`num_workers=2` (the sandbox lets a snippet start no process): the batches, each worker's random draws, the
    snippet's own random state after the loop, and an error in a worker on the line that asked for the batch, all as
    plain Python's worker processes give them."""
    source = """
        import random
        from torch.utils.data import DataLoader, Dataset, get_worker_info

        class Noisy(Dataset):
            def __init__(self, strict):
                self.strict = strict

            def __len__(self):
                return 7

            def __getitem__(self, i):
                if self.strict and i == 6 and get_worker_info().id == 1:
                    raise KeyError(i)
                return torch.tensor([float(i)]) + torch.rand(1) + random.random()

        torch.manual_seed(3)
        loader = DataLoader(Noisy(False), batch_size=2, shuffle=True, num_workers=2)
        batches = [b for b in loader if len(b) == 2]
        print(batches, torch.rand(1), random.random())
        for b in DataLoader(Noisy(True), batch_size=2, num_workers=2):
            print(b)
    """
    plain = run_plain(source, note_gradients=False)  # (with worker processes)
    with monkeypatch.context() as patched:
        patched.setattr("multiprocessing.process.BaseProcess.start", refuse_processes)
        run = run_snippet(source)
    assert run["stdout"] == plain.stdout and "tensor" in run["stdout"]
    assert (run["error"]["type"], run["error"]["line"]) == plain.error == ("KeyError", 21)
    assert "in DataLoader worker process 1" in run["error"]["message"]


def refuse_processes(process):
    raise PermissionError("no processes here")


def test_reading_saved_values_runs_none_of_the_snippets_unpack_hooks():
    """Saved values are read raw: the snippet's unpack hooks run only when its own backward unpacks, so it prints
    what plain Python prints, and a disk-backed hook still finds its files."""
    for name in ("saved_hooks_print.py", "saved_hooks_disk.py"):
        source = (CORPUS / name).read_text()
        run = run_snippet(source)
        check_output_and_error(run, source)
        packed = [s for n in run["backward"]["nodes"] for s in n["saved"] or () if s["repr"] and "packed" in s["repr"]]
        assert packed and all(s["value"] is None and s["tensor"] is None for s in packed)
    assert run["stdout"].endswith("\n0\n")  # every file written by the pack hook was read and removed, once


def test_a_model_called_with_a_top_level_input_labels_it_input():
    run = run_snippet((CORPUS / "model_forward_input.py").read_text())
    node = last_node_named(run, "input")
    assert node["aliases"] == ["x"] and tensor_nodes(run, "x") == []
    assert last_node_named(run, "model.fc1.weight") is not None and last_node_named(run, "h")["aliases"] == []


def test_a_custom_functions_argument_does_not_rename_the_top_level_tensor():
    run = run_snippet((CORPUS / "custom_function_names.py").read_text())
    assert last_node_named(run, "k")["aliases"] == ["inp"] and tensor_nodes(run, "inp") == []


def test_chunks_are_named_by_the_top_level_tuple_not_by_a_generators_variable():
    run = run_snippet((CORPUS / "generator_chunks.py").read_text())
    names = [(n["var"], n["aliases"]) for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"]]
    assert ("parts[0]", ["t"]) in names and ("parts[2]", ["t"]) in names
    assert all(var != "t" for var, _ in names)


def test_tensors_held_by_the_snippets_objects_classes_and_nested_lists_are_named_by_their_path():
    """A dataclass's field, a class attribute, a namespace's and a list's in a dict: named by the path from the top
    level (`state.w`, `Config.temperature`), where they had no name at all; a one-step top-level name still bound
    at the end wins, one that moved on to another tensor does not."""
    source = """
        from dataclasses import dataclass
        from types import SimpleNamespace

        @dataclass
        class State:
            w: torch.Tensor

        class Config:
            temperature = nn.Parameter(torch.tensor(2.0))

        state = State(torch.ones(2, requires_grad=True))
        opts = SimpleNamespace(scale=torch.tensor(3.0))
        history = {"losses": []}
        loss = (state.w * opts.scale / Config.temperature).sum()
        history["losses"].append(loss)
        loss.backward()
        w_final = state.w
        batches = [[torch.ones(1)], [torch.zeros(1)]]
        for (xb,) in batches:
            print(xb.sum())
    """
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 2
    assert values(last_node_named(run, "Config.temperature")["grad"]) == approx([-1.5])
    assert last_node_named(run, "opts.scale") is not None and last_node_named(run, "loss")["aliases"] == [
        "history['losses'][0]"
    ]
    assert last_node_named(run, "state.w") is None and last_node_named(run, "w_final")["aliases"] == ["state.w"]
    assert last_node_named(run, "batches[0][0]")["aliases"] == ["xb"]  # (xb moved on to batches[1][0])


def test_tensors_in_the_slots_of_the_snippets_objects_are_named_by_their_path():
    """A `@dataclass(slots=True)`'s fields and a class with `__slots__` keep no `__dict__`: their tensors are named
    by the path from the top level all the same (`params.w`, `holder.scale`), where they had no name; a slot never
    set names nothing, and a property of the class is not run to look."""
    source = """
        from dataclasses import dataclass

        @dataclass(slots=True)
        class Params:
            w: torch.Tensor
            b: torch.Tensor

        class Holder:
            __slots__ = ("scale", "unset")

            def __init__(self, s):
                self.scale = s

            @property
            def doubled(self):
                print("property run")
                return self.scale * 2

        params = Params(torch.ones(3, requires_grad=True), torch.zeros(1, requires_grad=True))
        holder = Holder(torch.full((3,), 2.0, requires_grad=True))
        loss = ((torch.arange(3.0) * holder.scale) @ params.w + params.b).sum()
        loss.backward()
    """
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 4
    assert values(last_node_named(run, "params.w")["grad"]) == approx([0.0, 2.0, 4.0])
    assert values(last_node_named(run, "holder.scale")["grad"]) == approx([0.0, 1.0, 2.0])


def test_tensors_in_an_objects_lists_and_dicts_and_in_a_deque_are_named_by_their_path():
    """`tracker.history[0]`, `state.means['s0']` (the module's own example of a path two steps deep) and a replay
    buffer's `buffer[0]` (a deque): they had no name."""
    source = """
        from collections import deque
        from types import SimpleNamespace

        class Tracker:
            def __init__(self):
                self.history = []

        w = torch.ones(3, requires_grad=True)
        tracker, state, buffer = Tracker(), SimpleNamespace(means={}), deque(maxlen=4)
        for step in range(2):
            tracker.history.append((w * (step + 1)).sum())
            state.means[f"s{step}"] = w.detach() * 2
            buffer.append(torch.full((2,), float(step)))
        (tracker.history[0] + tracker.history[1]).backward()
    """
    run = run_snippet(source)
    assert check_against_torch(run, source) >= 1
    for name in ("tracker.history[0]", "tracker.history[1]", "state.means['s1']", "buffer[0]", "buffer[1]"):
        assert last_node_named(run, name) is not None, name
    assert values(last_node_named(run, "buffer[1]")["value"]) == [1.0, 1.0]


def test_modules_and_tensors_of_objects_in_a_top_level_list_are_named_by_their_path():
    """`agents = [Agent(), Agent()]`, each with `self.policy = nn.Linear(2, 1)`: the four parameters were `leaf`."""
    source = """
        class Agent:
            def __init__(self):
                self.policy = nn.Linear(2, 1)
                self.bonus = torch.zeros(1, requires_grad=True)

        agents = [Agent(), Agent()]
        obs = torch.ones(1, 2)
        total = sum((agent.policy(obs) + agent.bonus).sum() for agent in agents)
        total.backward()
    """
    run = run_snippet(source)
    assert check_against_torch(run, source) >= 1
    for i in range(2):
        for name in (f"agents[{i}].policy.weight", f"agents[{i}].policy.bias", f"agents[{i}].bonus"):
            assert last_node_named(run, name)["grad"] is not None, name


def test_a_module_an_object_holds_in_a_top_level_object_is_named_by_its_path():
    """`world.agent.policy`, a layer two objects deep: its parameters were `leaf`, its call's module `Linear`; a cycle
    back to the top (`agent.world`) stops the walk."""
    source = """
        class Agent:
            def __init__(self):
                self.policy = nn.Linear(2, 1)

        class World:
            def __init__(self):
                self.agent = Agent()
                self.agent.world = self

        world = World()
        out = world.agent.policy(torch.ones(1, 2)).sum()
        out.backward()
    """
    run = run_snippet(source)
    assert check_against_torch(run, source) >= 1
    for name in ("world.agent.policy.weight", "world.agent.policy.bias"):
        assert last_node_named(run, name)["grad"] is not None, name
    assert next(n["module"] for n in run["forward"]["nodes"] if n["kind"] == "op") == "world.agent.policy"


def test_a_tensor_in_a_list_an_objects_dict_or_object_holds_is_named_by_its_path():
    """`logger.log['norms'].append(w.norm())`, `run.stats.grads.append(w * 2)`: three steps from the top level, they
    went by their expressions."""
    source = """
        class Logger:
            def __init__(self):
                self.log = {"norms": []}

        class Stats:
            def __init__(self):
                self.grads = []

        class Trainer:
            def __init__(self):
                self.stats = Stats()

        logger, trainer = Logger(), Trainer()
        w = torch.randn(3, requires_grad=True)
        logger.log["norms"].append(w.norm())
        trainer.stats.grads.append(w * 2)
        loss = logger.log["norms"][0] * trainer.stats.grads[0].sum()
        loss.backward()
    """
    run = run_snippet(source)
    assert check_against_torch(run, source) >= 1
    for name in ("logger.log['norms'][0]", "trainer.stats.grads[0]"):
        assert last_node_named(run, name)["grad"] is not None, name


def test_a_loop_variable_that_moved_on_leaves_each_layer_to_its_lists_name():
    """`for l in layers` over a list too long to scan while the snippet runs (over CONTAINER_SCAN_ITEMS): every layer
    was `l.weight`, the name it had once; and the last item of a loop was named by the loop's variable (`w`, where
    every other item is `ws[0]`)."""
    from app.capture.naming import CONTAINER_SCAN_ITEMS

    source = (
        f"layers = [nn.Linear(2, 2) for _ in range({CONTAINER_SCAN_ITEMS + 4})]\nh = torch.ones(1, 2)\n"
        "for l in layers:\n    h = torch.tanh(l(h))\nh.sum().backward()\n"
    )
    run = run_snippet(source)
    assert last_node_named(run, "layers[0].weight")["aliases"] == ["l.weight"]
    last = f"layers[{CONTAINER_SCAN_ITEMS + 3}].weight"  # (the last layer too, which `l` names still: an alias there)
    assert last_node_named(run, last)["aliases"] == ["l.weight"] and not tensor_nodes(run, "l.weight")
    run = run_snippet(
        "ws = [torch.ones(1, requires_grad=True), torch.zeros(1, requires_grad=True)]\nfor w in ws:\n    y = w * 2\n"
    )
    assert [last_node_named(run, f"ws[{i}]")["aliases"] for i in range(2)] == [["w"], ["w"]]


def test_a_module_a_second_list_holds_gives_its_tensors_that_path_as_an_alias():
    """`layers = list(model)`, `blocks = [model[0], model[2]]`: a layer keeps the name it had first
    (`model.0.weight`), and every other top-level path to its parameters is an alias (the contract's Names rule),
    whichever was bound first."""
    run = run_snippet(
        "model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))\nlayers = list(model)\n"
        "blocks = [model[0], model[2]]\nx = torch.randn(2, 3)\nfor layer in layers:\n    x = layer(x)\n"
        "x.sum().backward()\n"
    )
    assert last_node_named(run, "model.0.weight")["aliases"] == ["layers[0].weight", "blocks[0].weight"]
    assert last_node_named(run, "model.2.bias")["aliases"] == ["layers[2].bias", "blocks[1].bias", "layer.bias"]
    run = run_snippet(
        "layers = [nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)]\nmodel = nn.Sequential(*layers)\n"
        "model(torch.randn(2, 3)).sum().backward()\n"
    )
    assert last_node_named(run, "layers[2].weight")["aliases"] == ["model.2.weight"]


def test_a_tensor_a_module_keeps_as_a_plain_attribute_is_named_by_its_path():
    """`self.hidden = ...` in a model (an RNN's state, attention weights kept to plot): `lm.hidden`, as its
    parameters are `lm.rnn.weight_ih`; it had no name."""
    source = """
        class LM(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = nn.RNNCell(2, 3)
                self.hidden = torch.zeros(1, 3)

            def forward(self, x):
                self.hidden = self.rnn(x, self.hidden.detach())
                return self.hidden.sum()

        lm = LM()
        for _ in range(2):
            loss = lm(torch.ones(1, 2))
            loss.backward()
    """
    run = run_snippet(source)
    assert check_against_torch(run, source) >= 6
    hidden = last_node_named(run, "lm.hidden")
    assert hidden["grad_fn"] is not None and values(hidden["grad"]) == approx([1.0, 1.0, 1.0])


def test_a_rebound_name_names_the_new_tensor_and_the_top_level_name_wins_over_a_local():
    source = (
        "def double(t):\n"
        "    inside = t * 2\n"
        "    print(inside.sum().item())\n"  # (names are seen at a line that calls torch)
        "    return inside\n"
        "y = torch.ones(2, requires_grad=True)\n"
        "y = double(y)\n"
        "z = y\n"
    )
    run = run_snippet(source)
    first, second = tensor_nodes(run, "y")
    assert first["aliases"] == ["t"] and first["value"]["data"] == [1.0, 1.0]
    assert second["aliases"] == ["z", "inside"] and second["value"]["data"] == [2.0, 2.0]


def test_a_functions_parameter_does_not_take_a_name_the_top_level_gave_an_earlier_tensor():
    """`v = data` at the top level, and `def f(v)` called on `data + 1`: the node of `data + 1`, recorded later, no
    longer lists `v`, or the last node called `v` would be a tensor the top-level v never was."""
    source = (
        "def f(v):\n    return v * 2\n"
        "data = torch.randn(3, requires_grad=True)\nv = data; u = v\nw = f(data + 1)\nw.sum().backward()\n"
    )
    run = run_snippet(source)
    called_v = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and "v" in [n["var"], *n["aliases"]]]
    assert [(n["var"], n["aliases"]) for n in called_v] == [("data", ["v", "u"])]
    assert check_against_torch(run, source) == 4  # (data, v, u, w)


def test_a_name_still_bound_when_the_snippet_ends_wins_over_one_rebound_since():
    run = run_snippet("a = torch.ones(2, requires_grad=True)\nb = a\na = torch.zeros(2, requires_grad=True)\n")
    first, second = (n for n in run["forward"]["nodes"] if n["kind"] == "tensor")
    assert (first["var"], first["aliases"], values(first["value"])) == ("b", ["a"], [1.0, 1.0])
    assert (second["var"], second["aliases"]) == ("a", [])


def test_a_name_bound_back_to_an_earlier_tensor_labels_it_and_not_the_later_node():
    """`x = b` with `b` made before the tensor `x` held: the node of that tensor came after b's and was still
    called `x`, so the last node called `x` showed the tensor x no longer was."""
    source = "b = torch.ones(2, requires_grad=True)\nx = torch.zeros(2, requires_grad=True)\ny = (x * 2).sum()\nx = b\n"
    run = run_snippet(source)
    called_x = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and "x" in [n["var"], *n["aliases"]]]
    assert [(n["var"], values(n["value"])) for n in called_x] == [("x", [1.0, 1.0])]
    assert check_against_torch(run, source) == 3


def test_a_name_that_ends_as_an_alias_labels_no_tensor_it_left():
    """`a = b = c`: c's node is labelled `a`, `b` is among its aliases; the tensor b held before kept the label `b`,
    so the last node labelled `b` showed a tensor b no longer was."""
    source = (
        "a = torch.ones(2, requires_grad=True)\n"
        "b = torch.zeros(2, requires_grad=True)\n"
        "s = (a + b).sum()\n"
        "c = torch.full((2,), 3.0, requires_grad=True)\n"
        "a = b = c\n"
    )
    run = run_snippet(source)
    assert not [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == "b"]
    assert values(last_node_called(run, "b")["value"]) == [3.0, 3.0]
    assert check_against_torch(run, source) == 4


def test_a_loop_variable_over_buffers_names_the_last_one_and_no_later_node():
    source = (
        "model, ema = nn.BatchNorm1d(2), nn.BatchNorm1d(2)\n"
        "model(torch.randn(4, 2))\n"
        "with torch.no_grad():\n"
        "    for be, bm in zip(ema.buffers(), model.buffers()):\n"
        "        be.copy_(bm)\n"
    )
    run = run_snippet(source)
    assert last_node_called(run, "bm")["var"] == "model.num_batches_tracked"
    check_against_torch(run, source)


def test_a_containers_item_changed_in_place_keeps_its_name_on_every_version():
    """`st = opt.state[p]; exp_avg = st['exp_avg']`, then more steps: the versions the steps made were called
    `exp_avg` only (the dict was not scanned again), the last `st['exp_avg']`, so the last node called `exp_avg`
    showed a value from a step before."""
    source = (
        "p = nn.Parameter(torch.tensor([1.0, -2.0]))\n"
        "opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)\n"
        "(p ** 2).sum().backward()\n"
        "opt.step()\n"
        "st = opt.state[p]\n"
        "buf = st['momentum_buffer']\n"
        "for _ in range(2):\n"
        "    opt.zero_grad()\n"
        "    (p ** 2).sum().backward()\n"
        "    opt.step()\n"
    )
    run = run_snippet(source)
    versions = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and "buf" in [n["var"], *n["aliases"]]]
    assert {(n["var"], *n["aliases"]) for n in versions} == {("st['momentum_buffer']", "buf")}
    assert last_node_called(run, "buf") is versions[-1]
    p = torch.tensor([1.0, -2.0])
    buf = 2 * p
    for _ in range(2):
        p = p - 0.1 * buf  # (the step that used the buffer, then the next gradient into it)
        buf = 0.9 * buf + 2 * p
    assert values(versions[-1]["value"]) == approx(buf.tolist())


def test_a_listed_tensor_written_twice_in_place_keeps_its_plain_name():
    """`params = [w, b]` and a hand-written step `p[:] -= lr * p.grad` (two writes: the view's `-=`, then setitem):
    the version between had only its list's name, and the last was called `params[0]`, `w` an alias."""
    source = (
        "w = torch.tensor([1.0, -2.0], requires_grad=True)\n"
        "b = torch.zeros(1, requires_grad=True)\n"
        "params = [w, b]\n"
        "(w * 2 + b).sum().backward()\n"
        "with torch.no_grad():\n"
        "    for p in params:\n"
        "        p[:] -= 0.1 * p.grad\n"
    )
    run = run_snippet(source)
    versions = [
        n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and "params[0]" in [n["var"], *n["aliases"]]
    ]
    assert [n["version"] for n in versions] == [0, 1, 2]
    assert [n["var"] for n in versions] == ["w", "w", "w"]
    assert values(versions[-1]["value"]) == approx([0.8, -2.2])


def test_a_tied_weight_keeps_the_first_name_named_parameters_gives_it():
    source = (
        "model = nn.ModuleDict({'embed': nn.Embedding(5, 2), 'decoder': nn.Linear(2, 5, bias=False)})\n"
        "model.decoder.weight = model.embed.weight\n"  # (weight tying; "decoder" sorts before "embed")
        "model.decoder(model.embed(torch.tensor([1, 2]))).sum().backward()\n"
    )
    run = run_snippet(source)
    (weight,) = (n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["grad_accumulator"])
    assert (weight["var"], weight["aliases"]) == ("model.embed.weight", ["model.decoder.weight"])


def test_ops_asked_to_work_in_place_keep_the_values_they_overwrite():
    source = (
        "h = torch.tensor([-1.0, 2.0], requires_grad=True) * 1\n"
        "a = F.relu(h, inplace=True)\n"  # (torch.nn.functional passes inplace=True on as a keyword)
        "emb = nn.Embedding(2, 2, max_norm=0.5)\n"
        "e = emb(torch.tensor([1]))\n"  # (renormalizes row 1 of the weight in place)
        "(a.sum() + e.sum()).backward()\n"
    )
    run = run_snippet(source)
    shown = [values(n["value"]) for n in run["forward"]["nodes"] if n["kind"] == "tensor"]
    assert [-1.0, 2.0] in shown and [0.0, 2.0] in shown
    assert all(n["value"].get("unreadable") is None for n in run["forward"]["nodes"] if n["kind"] == "tensor")
    check_against_torch(run, source)


def test_a_custom_functions_dirty_input_keeps_its_value_when_apply_moves_its_version():
    source = (
        "class Double(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, x):\n"
        "        x.mul_(2)\n"
        "        ctx.mark_dirty(x)\n"
        "        return x\n"
        "    @staticmethod\n"
        "    def backward(ctx, grad):\n"
        "        return grad * 2\n"
        "h = torch.ones(2, requires_grad=True) * 3\n"
        "out = Double.apply(h)\n"  # (torch moves h's version once more on return)
        "out.sum().backward()\n"
    )
    run = run_snippet(source)
    shown = [values(n["value"]) for n in run["forward"]["nodes"] if n["kind"] == "tensor"]
    assert shown.count([6.0, 6.0]) == 2 and [3.0, 3.0] in shown
    check_against_torch(run, source)


def test_a_custom_functions_dirty_output_is_made_by_its_apply_op():
    """`ctx.mark_dirty(x)`: `apply` gives x, changed in place by forward(), the Function's backward node as it returns
    it. The output was drawn made by no op (the page then said a backward pass made it); it is made by the Function's
    op on the apply line, from x as forward() left it, in a module's call as its ops are; under no_grad too, where the
    value forward() left was shown unreadable."""
    source = (
        "class Double(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, x):\n"
        "        x.mul_(2)\n"
        "        ctx.mark_dirty(x)\n"
        "        return x\n"
        "    @staticmethod\n"
        "    def backward(ctx, grad):\n"
        "        return grad * 2\n"
        "class Net(nn.Module):\n"
        "    def forward(self, a):\n"
        "        return Double.apply(a)\n"
        "h = torch.ones(2, requires_grad=True) * 3\n"
        "out = Net()(h)\n"
        "(out * out).sum().backward()\n"
        "k = torch.ones(2, requires_grad=True) * 2\n"
        "with torch.no_grad():\n"
        "    Double.apply(k)\n"
    )
    run = run_snippet(source)
    nodes = {n["id"]: n for n in run["forward"]["nodes"]}
    made_by = {e["target"]: nodes[e["source"]] for e in run["forward"]["edges"] if nodes[e["source"]]["kind"] == "op"}
    ops = [n for n in nodes.values() if n["kind"] == "op" and n["op"] == "Double.apply"]
    assert [(o["line"], o["module"], o["no_grad"]) for o in ops] == [(12, "Net", False), (18, None, True)]
    out = last_node_named(run, "h")  # (the same tensor: `out` is its alias)
    assert (
        "out" in out["aliases"]
        and made_by[out["id"]] is ops[0]
        and (out["line"], out["forward_line"], values(out["value"])) == (12, 4, [6, 6])
    )
    (changed,) = [nodes[e["source"]] for e in run["forward"]["edges"] if e["target"] == ops[0]["id"]]
    assert (made_by[changed["id"]]["op"], changed["line"], values(changed["value"])) == ("mul_", 4, [6, 6])
    assert all(n["value"].get("unreadable") is None for n in nodes.values() if n["kind"] == "tensor")
    assert check_against_torch(run, source) >= 3


def test_a_tensor_subclass_sees_only_the_snippets_own_calls():
    source = (
        "class Logged(torch.Tensor):\n"
        "    calls = []\n"
        "    @classmethod\n"
        "    def __torch_function__(cls, func, types, args=(), kwargs=None):\n"
        "        cls.calls.append(getattr(func, '__qualname__', str(func)))\n"
        "        return super().__torch_function__(func, types, args, kwargs or {})\n"
        "x = torch.ones(2).as_subclass(Logged).requires_grad_()\n"
        "(x * 2).sum().backward()\n"
        "print(Logged.calls)\n"
    )
    run = run_snippet(source)
    check_output_and_error(run, source)  # (the recorder's own look at x and its results logs nothing)
    assert "untyped_storage" not in run["stdout"]


def test_the_snippets_dispatch_mode_sees_only_its_own_ops():
    source = (
        "from torch.utils._python_dispatch import TorchDispatchMode\n"
        "class Log(TorchDispatchMode):\n"
        "    ops = []\n"
        "    def __torch_dispatch__(self, func, types, args=(), kwargs=None):\n"
        "        self.ops.append(func.overloadpacket.__name__)\n"
        "        return func(*args, **(kwargs or {}))\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "with Log():\n"
        "    y = x * 2\n"
        "    y.add_(1)\n"  # (the engine copies y's value before: a detach and a clone the mode must not see)
        "print(Log.ops)\n"
    )
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert run["stdout"] == "['mul', 'add_']\n"


def test_deprecation_warnings_show_as_in_plain_python():
    source = (
        "import warnings\n"
        "lib = {'__name__': 'lib', 'warnings': warnings}\n"
        "exec('def old():\\n    warnings.warn(\"lib is old\", DeprecationWarning)\\n', lib)\n"
        "lib['old']()\n"  # (a library's deprecation: plain Python shows nothing)
        "warnings.warn('mine is old', DeprecationWarning)\n"  # (the snippet's own: shown)
        "warnings.warn('pending', PendingDeprecationWarning)\n"  # (not shown)
        "x = torch.ones(2, requires_grad=True)\n"
        "print((x * 2).sum().item())\n"
    )
    run = run_snippet(source)
    shown = "<snippet>:5: DeprecationWarning: mine is old\n  warnings.warn('mine is old', DeprecationWarning)\n"
    assert run["stderr"] == shown
    check_output_and_error(run, source)


def test_a_name_rebound_by_a_swap_labels_the_tensor_it_ends_on():
    run = run_snippet(
        "a = torch.ones(2, requires_grad=True)\n"
        "b = torch.zeros(2, requires_grad=True)\n"
        "params = [a, b]\n"
        "print(torch.cat(params).sum().item())\n"  # (names are seen at lines that call torch)
        "a, b = b, a\n"
        "print(a.sum().item())\n"
    )
    first, second = (n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["grad_accumulator"])
    assert (first["var"], values(first["value"])) == ("b", [1.0, 1.0]) and "params[0]" in first["aliases"]
    assert (second["var"], values(second["value"])) == ("a", [0.0, 0.0]) and "params[1]" in second["aliases"]


def test_set_is_recorded_as_an_in_place_change():
    source = (
        "w = torch.ones(3, requires_grad=True)\ny = w * 2\nwith torch.no_grad():\n    w.set_(torch.full((3,), 5.0))\n"
    )
    run = run_snippet(source)
    first, second = tensor_nodes(run, "w")
    assert values(first["value"]) == [1.0, 1.0, 1.0] and values(second["value"]) == [5.0, 5.0, 5.0]
    assert "set_" in [n["op"] for n in run["forward"]["nodes"] if n["kind"] == "op"]
    assert torch.ones(1).set_(torch.zeros(2)).tolist() == [0.0, 0.0]  # (and with no capture running, torch's own)


def test_a_gradient_changed_in_place_by_a_call_outside_the_graph_keeps_what_flowed():
    source = (
        "w = torch.ones(3, requires_grad=True)\n"
        "(w * 2 + w * 3).sum().backward()\n"  # (two gradients summed: w.grad is the very tensor that flowed in)
        "nn.utils.clip_grad_norm_([w], 0.1)\n"
    )
    run = run_snippet(source)
    w = last_node_named(run, "w")
    assert values(backward_of(run, w["grad_accumulator"])["grad_out"][0]) == approx([5.0] * 3)
    assert values(w["grad"]) == approx([0.1 / 3**0.5] * 3)


def test_results_of_autograd_grad_handed_straight_back_to_it_have_their_graph_walked():
    source = (
        "from torch.autograd.functional import vhp\n"
        "f = lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2\n"
        "value, vh = vhp(f, torch.tensor([0.5, 0.5]), torch.tensor([1.0, 0.0]))\n"
    )
    run = run_snippet(source)
    assert values(last_node_named(run, "vh")["value"]) == approx([102.0, -200.0])
    check_consistency(run)


def test_telling_a_traced_tensor_from_a_freed_one_puts_no_guard_into_the_trace():
    """The recorder tells a tensor from a freed one whose id it got by its dtype, size and version. A size torch traces
    as a symbol (`torch.export` with a dynamic batch dim) compared with a freed tensor's 3 rows put the guard `s0 != 3`
    into the snippet's trace, and the export failed its own dynamic batch size ("Constraints violated"), in one
    capture of ten to fifty: the ids met only now and then. A symbolic size is never compared."""
    from torch._subclasses.fake_tensor import FakeTensorMode
    from torch.fx.experimental.symbolic_shapes import DimDynamic, ShapeEnv, StatelessSymbolicContext

    from app.capture.record import _looks

    shape_env = ShapeEnv()
    dynamic = StatelessSymbolicContext(dynamic_sizes=[DimDynamic.DYNAMIC, DimDynamic.STATIC])
    traced = FakeTensorMode(shape_env=shape_env).from_tensor(torch.randn(4, 8), symbolic_context=dynamic)
    assert _looks(traced) != _looks(torch.randn(3, 8))
    assert _looks(torch.randn(3, 8)) != _looks(traced)
    assert not shape_env.guards, shape_env.guards
    assert _looks(torch.zeros(3, 8)) == _looks(torch.ones(3, 8))  # (plain tensors: told apart as before)


def test_cpp_backward_nodes_are_named_by_their_own_name():
    run = run_snippet((CORPUS / "cpp_function_node.py").read_text())
    names = {n["name"] for n in run["backward"]["nodes"]}
    assert "DifferentiableGraphBackward" in names and "CppFunction" not in names


def test_a_torchscript_call_is_one_op_of_the_graph():
    """A `@torch.jit.script` function, a scripted module's forward: their ops run in C++, where no mode sees them, so
    `y = fused_gelu(lin(x))` came from no op, its graph cut from `lin(x)`'s, and the page said y was a gradient
    torch.autograd.grad had computed with create_graph=True."""
    source = (
        "@torch.jit.script\n"
        "def fused_gelu(x):\n"
        "    return x * 0.5 * (1.0 + torch.erf(x / 1.41421))\n"
        "class Net(nn.Module):\n"
        "    def forward(self, x):\n"
        "        return fused_gelu(x) * 2\n"
        "lin = nn.Linear(3, 3)\n"
        "y = fused_gelu(lin(torch.ones(2, 3)))\n"
        "net = torch.jit.script(Net())\n"
        "out = net(y)\n"
        "out.sum().backward()\n"
    )
    run = run_snippet(source)
    nodes = {n["id"]: n for n in run["forward"]["nodes"]}
    made_by = {e["target"]: nodes[e["source"]] for e in run["forward"]["edges"] if nodes[e["source"]]["kind"] == "op"}
    y, out = last_node_named(run, "y"), last_node_named(run, "out")
    assert (made_by[y["id"]]["op"], made_by[y["id"]]["line"], made_by[y["id"]]["inside"]) == ("fused_gelu", 8, None)
    assert (made_by[out["id"]]["op"], made_by[out["id"]]["line"]) == ("forward", 10)
    assert any(e["source"] == y["id"] and e["target"] == made_by[out["id"]]["id"] for e in run["forward"]["edges"])
    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 3)
    h = lin(torch.ones(2, 3))
    plain_y = h * 0.5 * (1.0 + torch.erf(h / 1.41421))
    plain_y.retain_grad()
    (plain_y * 0.5 * (1.0 + torch.erf(plain_y / 1.41421)) * 2).sum().backward()
    assert values(y["grad"]) == approx(plain_y.grad.reshape(-1).tolist())
    assert check_against_torch(run, source) >= 3


def test_a_scripted_modules_parameters_are_inputs_of_its_op():
    """A scripted (or traced) module's forward is one op, its ops run in C++ unseen: the parameters they read were drawn
    apart, no edge to the op, as if the output were made of `x` alone."""
    source = (
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(3, 2)\n"
        "        self.register_buffer('shift', torch.ones(2))\n"
        "    def forward(self, x):\n"
        "        return torch.tanh(self.fc(x)) + self.shift\n"
        "net = torch.jit.script(Net())\n"
        "out = net(torch.ones(4, 3))\n"
        "out.sum().backward()\n"
    )
    run = run_snippet(source)
    nodes = {n["id"]: n for n in run["forward"]["nodes"]}
    (op,) = [n for n in nodes.values() if n["kind"] == "op" and n["op"] == "forward"]
    read = {nodes[e["source"]]["var"] for e in run["forward"]["edges"] if e["target"] == op["id"]}
    assert read == {None, "net.fc.weight", "net.fc.bias", "net.shift"}  # (None: the unnamed torch.ones(4, 3))
    assert check_against_torch(run, source) >= 3


def test_torch_jit_traces_own_checks_are_not_drawn():
    """`torch.jit.trace(model, example)` runs the model once to trace it, then checks the trace on its own: traces
    again, runs both, compares (27 ops on the trace line for this MLP, which the snippet never wrote). Only the tracing
    run is drawn; the checks still run, as plain torch runs them (they compare the two traces' frames too)."""
    source = (
        "model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))\n"
        "example = torch.randn(2, 3)\n"
        "traced = torch.jit.trace(model, example)\n"
        "y = traced(torch.ones(5, 3))\n"
        "y.sum().backward()\n"
        "print(traced(example).sum().item() == model(example).sum().item())\n"
    )
    run = run_snippet(source)
    assert run["status"] == "ok" and run["stdout"] == "True\n"
    on_trace_line = [n["op"] for n in run["forward"]["nodes"] if n["kind"] == "op" and n["line"] == 3]
    assert on_trace_line == ["linear", "relu", "linear"]
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 5


LOGS_TO_STDOUT = """
import logging, sys, warnings
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
logging.captureWarnings(True)
w = torch.ones(2, requires_grad=True)
(w * 3).sum().backward()
logging.getLogger("train").info("grad %s", w.grad.tolist())
warnings.warn("lr looks high")
"""


def test_each_run_finds_logging_as_a_fresh_process_has_it():
    """`logging.basicConfig(stream=sys.stdout)` without force: in a host whose root logger has a handler (pytest's) it
    did nothing, and the snippet's log lines never reached its output; a run that left warnings captured
    (`logging.captureWarnings(True)`) and its root logger set up made the same calls of the next run in that process do
    nothing (its lines went to the first run's output). Each run starts from a fresh process's logging."""
    host = logging.getLogger().handlers[:]
    with fresh_logger("py.warnings"):  # (as in a process of its own: other tests' snippets configured it)
        for _ in range(2):
            run = run_snippet(LOGS_TO_STDOUT)
            assert run["status"] == "ok", run["error"]
            assert run["stdout"].startswith("INFO train: grad [3.0, 3.0]\nWARNING py.warnings: "), run["stdout"]
            assert "UserWarning: lr looks high" in run["stdout"]
    assert logging.getLogger().handlers == host  # (the host's own are back)


def test_a_thread_that_raises_is_reported_as_python_reports_it():
    """A snippet's thread that raises: `python FILE` prints its traceback on standard error (threading's own hook) and
    goes on. In a host with a hook of its own (pytest's turns it into a warning, which its filters make an error) the
    host's hook took it; now threading's own does, on the Run's standard error."""
    source = (
        "import threading\ndef work():\n    raise ValueError('bad scale')\n"
        "t = threading.Thread(target=work)\nt.start()\nt.join()\nx = torch.ones(2, requires_grad=True)\n"
        "(x * 3).sum().backward()\nprint(x.grad)\n"
    )
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert run["status"] == "ok" and "ValueError: bad scale" in run["stderr"] and "Exception in thread" in run["stderr"]


def test_other_threads_are_recorded():
    run = run_snippet((CORPUS / "threads.py").read_text())
    assert run["backward_passes"] == 2
    assert len(tensor_nodes(run, "w")) == 2 and len(tensor_nodes(run, "loss")) == 2
    assert {values(n["grad"])[0] for n in tensor_nodes(run, "w")} == {2.0, 4.0}


def test_an_update_in_a_post_accumulate_grad_hook_is_recorded():
    source = (CORPUS / "post_accumulate_inplace.py").read_text()
    run = run_snippet(source)
    assert run["backward_passes"] == 2
    versions = tensor_nodes(run, "w")
    assert [values(n["value"]) for n in versions] == [[1.0, 2.0], approx([0.8, 1.6]), approx([0.64, 1.28])]
    updates = [n for n in run["forward"]["nodes"] if n["kind"] == "op" and n["op"] == "add_"]
    assert [(n["line"], n["no_grad"]) for n in updates] == [(4, True), (4, True)]


def test_only_detach_data_and_no_grad_are_cuts_and_comparisons_are_non_differentiable():
    run = run_snippet((CORPUS / "cuts_mixed.py").read_text())
    ops = {n["op"]: n for n in run["forward"]["nodes"] if n["kind"] == "op" and n["op"] != "mul"}
    assert {op for op, n in ops.items() if n["cut"]} == {"detach"}
    assert {op for op, n in ops.items() if n["non_differentiable"]} == {"gt", "argmax"}
    assert not ops["ones_like"]["cut"] and not ops["ones_like"]["non_differentiable"]
    muls = [n for n in run["forward"]["nodes"] if n["kind"] == "op" and n["op"] == "mul"]
    assert [(n["line"], n["cut"]) for n in muls if n["no_grad"]] == [(9, True), (11, True)]  # no_grad, inference


def test_an_op_that_hands_back_an_input_that_requires_grad_is_not_non_differentiable():
    """`Categorical(logits=...).log_prob(a)` runs `torch.broadcast_tensors(value, logits)`, which hands `logits` back as
    it was where it has the shape already: the op was recorded with its integer output only, and called
    non-differentiable (a REINFORCE step drew one such 'no derivative' op per action)."""
    source = (
        "from torch.distributions import Categorical\n"
        "w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)\n"
        "idx, same = torch.broadcast_tensors(torch.tensor([1]), w)\n"
        "lp = Categorical(logits=w).log_prob(torch.tensor(2))\n"
        "(lp + same.sum()).backward()\n"
    )
    run = run_snippet(source)
    ops = [n for n in run["forward"]["nodes"] if n["kind"] == "op" and n["op"] == "broadcast_tensors"]
    assert [n["line"] for n in ops] == [3, 4]
    assert not any(n["non_differentiable"] or n["cut"] for n in ops)
    assert check_against_torch(run, source) >= 4


def test_an_op_that_reads_only_a_parameters_shape_under_no_grad_is_not_a_cut():
    """Adam's state made `zeros_like` a parameter, and LBFGS's `update.view_as(p)`, were drawn as cuts: they read
    only its shape."""
    source = """
model = nn.Linear(3, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.1)
F.mse_loss(model(torch.randn(4, 3)), torch.randn(4, 1)).backward()
opt.step()
with torch.no_grad():
    z = torch.zeros_like(model.weight)
    w = model.weight * 2
    v = torch.ones(3).view_as(model.weight)
"""
    run = run_snippet(source)
    ops = [n for n in run["forward"]["nodes"] if n["kind"] == "op" and n["no_grad"]]
    assert {n["op"] for n in ops if n["op"].endswith("_like")} == {"zeros_like"}
    assert [(n["op"], n["line"]) for n in ops if n["cut"]] == [("mul", 8)]
    assert [n["op"] for n in ops if n["line"] == 9] == ["view_as"]


def test_a_copy_into_a_new_leaf_is_a_cut_and_new_tensor_reads_only_its_data():
    """`w = torch.tensor(x, requires_grad=True)` makes a new leaf of x's values: x.grad stays None, and the copy was
    drawn as no cut (its result requires grad), so the page said only that backward "did not reach x". And
    `w.new_tensor([1., 2.])` takes only w's dtype and device: it was drawn as a cut of w."""
    source = (
        "x = (torch.randn(3) * 2).requires_grad_()\n"
        "w = torch.tensor(x, requires_grad=True)\n"
        "v = torch.tensor([x[0] * 2, x[1], 1.0], requires_grad=True)\n"
        "(w * 3 + v).sum().backward()\n"
        "a = w.new_tensor([1.0, 2.0])\n"
        "b = w.new_tensor([1.0, 2.0], requires_grad=True)\n"
        "c = torch.zeros(1).new_tensor(x, requires_grad=True)\n"
    )
    run = run_snippet(source)
    ops = [(n["op"], n["line"]) for n in run["forward"]["nodes"] if n["kind"] == "op"]
    cuts = [(n["op"], n["line"]) for n in run["forward"]["nodes"] if n["kind"] == "op" and n["cut"]]
    assert ("new_tensor", 5) in ops and ("new_tensor", 6) in ops
    assert cuts == [("tensor", 2), ("tensor", 3), ("new_tensor", 7)]
    assert last_node_named(run, "x")["grad"] is None and check_against_torch(run, source) >= 4


@pytest.mark.parametrize("alias", ["y.detach()", "y.data", "y.detach().detach()", "y.detach()[:]"])
def test_an_in_place_change_through_a_detached_alias_is_drawn_changing_the_tensor_it_shares_memory_with(alias):
    """`z = y.detach(); z.zero_()` changes y (they share memory): y's new version came from nowhere in the graph, the
    error hint could not name the line that changed it, and the page said x was "not used to compute y.sum()"."""
    source = (
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "y = x.exp()\n"
        f"z = {alias}\n"
        "z.zero_()\n"
        "y.sum().backward()\n"
        "print(x.grad)\n"
    )
    run = run_snippet(source)
    zero = next(n for n in run["forward"]["nodes"] if n["kind"] == "op" and n["op"] == "zero_")
    made = [e["target"] for e in run["forward"]["edges"] if e["source"] == zero["id"]]
    nodes = {n["id"]: n for n in run["forward"]["nodes"]}
    assert sorted(nodes[t]["var"] for t in made if nodes[t]["var"]) == ["y", "z"]  # (and the alias between, if any)
    y = next(nodes[t] for t in made if nodes[t]["var"] == "y")
    assert y["line"] == 4 and values(y["value"]) == [0.0, 0.0, 0.0]
    if alias != "y.data":  # (shares y's version counter: backward raises for ExpBackward0's saved result)
        assert run["error"]["line"] == 5 and run["error"]["hint"]["en"].startswith("Line 4 (`z.zero_()`) changed `y`")
    else:  # (.data moves no version: backward reads the zeros)
        assert run["error"] is None and values(last_node_named(run, "x")["grad"]) == [0.0, 0.0, 0.0]
    assert check_against_torch(run, source) >= 2


@pytest.mark.parametrize("alias", ["a.detach()", "a.data", "a[:2]", "w.detach()"])
def test_requires_grad_on_an_alias_draws_no_change_of_the_tensor_it_shares_memory_with(alias):
    """`c = a.detach().requires_grad_()` (torch.autograd.functional's jacobian and hessian do it to their inputs) writes
    no memory: `a` (a leaf a pass had filled the .grad of, for `w`) was drawn as changed by requires_grad_ on that line,
    a new node of it made there."""
    source = (
        "a = torch.tensor([1.0, 2.0, 3.0])\n"
        "w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "(w * 2).sum().backward()\n"
        f"c = {alias}.requires_grad_()\n"
        "(c * c).sum().backward()\n"
    )
    run = run_snippet(source)
    step = next(n for n in run["forward"]["nodes"] if n["kind"] == "op" and n["op"] == "requires_grad_")
    made = [e["target"] for e in run["forward"]["edges"] if e["source"] == step["id"]]
    assert [n["var"] for n in run["forward"]["nodes"] if n["id"] in made] == ["c"]
    assert len(tensor_nodes(run, "a")) == len(tensor_nodes(run, "w")) == 1
    assert check_against_torch(run, source) >= 3


def test_an_op_run_under_inference_mode_says_so_not_only_no_grad():
    """The page said x.grad is None for a cut "under torch.no_grad()" where the code wrote torch.inference_mode()."""
    source = (
        "x = torch.ones(2, requires_grad=True)\n"
        "with torch.inference_mode():\n"
        "    a = x * 2\n"
        "with torch.no_grad():\n"
        "    b = x * 3\n"
    )
    run = run_snippet(source)
    ops = [(n["line"], n["no_grad"], n["inference"], n["cut"]) for n in run["forward"]["nodes"] if n["kind"] == "op"]
    assert ops == [(3, True, True, True), (5, True, False, True)]


def test_a_parameter_made_of_a_tensor_of_the_graph_is_drawn_as_a_cut_on_its_line():
    """`self.w = nn.Parameter(self.w * 2)` in forward (or `nn.Parameter(hyper(z))`, or `nn.Parameter(other.weight)`)
    makes a new leaf holding the tensor's memory: no gradient goes back past it. nn.Parameter runs no torch function,
    so the new leaf was drawn with no op, on the line of its first use, and the cut was nowhere."""
    source = (
        "hyper = nn.Linear(2, 4)\n"
        "class Target(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.tied = nn.Parameter(hyper.weight)\n"
        "        self.copy = nn.Parameter(hyper.weight.data)\n"
        "        self.fresh = nn.Parameter(torch.randn(2))\n"
        "    def forward(self, x):\n"
        "        self.tied = nn.Parameter(self.tied * 2)\n"
        "        w = nn.Parameter(hyper(torch.ones(1, 2)).view(2, 2))\n"
        "        return (x @ w + self.tied.sum() + self.copy.sum() + self.fresh.sum()).sum()\n"
        "t = Target()\n"
        "t(torch.ones(3, 2)).backward()\n"
    )
    run = run_snippet(source)
    nodes = {n["id"]: n for n in run["forward"]["nodes"]}
    made = {e["source"]: nodes[e["target"]] for e in run["forward"]["edges"] if nodes[e["source"]]["kind"] == "op"}
    cuts = [(n["op"], n["line"], made[n["id"]]["line"]) for n in nodes.values() if n["kind"] == "op" and n["cut"]]
    # (`.data` is the cut of `self.copy`; `torch.randn(2)` needed no gradient: no cut)
    assert cuts == [("Parameter", 5, 5), ("data", 6, 6), ("Parameter", 9, 9), ("Parameter", 10, 10)]
    assert last_node_named(run, "hyper.weight")["grad"] is None and check_against_torch(run, source) >= 4


def test_data_and_variable_of_data_are_cuts_with_their_lines():
    run = run_snippet((CORPUS / "variable_data.py").read_text())
    data = next(n for n in run["forward"]["nodes"] if n["kind"] == "op" and n["op"] == "data")
    assert data["cut"] and data["line"] == 4
    copy = last_node_named(run, "copy")
    assert copy["line"] == 4 and copy["is_leaf"] and values(copy["grad"]) == [6.0, 12.0]


def test_a_run_keeps_its_values_within_one_budget_end_state_first(monkeypatch):
    """However long the snippet runs, its summaries hold at most the budget of values (counted where they are
    written); the tensors it ends with keep theirs in full."""
    from app.capture import summary

    monkeypatch.setattr(summary, "RUN_VALUES", 3000)
    source = (CORPUS / "training_loop_sgd.py").read_text().replace("range(5)", "range(40)")
    run = run_snippet(source)
    written = 0
    for node in run["forward"]["nodes"]:
        for key in ("value", "grad"):
            if node.get(key) and node[key]["data"] is not None:
                written += len(flat(node[key]["data"]))
    for node in run["backward"]["nodes"]:
        written += sum(len(flat(g["data"])) for g in node["grad_in"] + node["grad_out"] if g and g["data"] is not None)
    assert written <= 3000
    assert any(n["value"]["truncated"] for n in run["forward"]["nodes"] if n["kind"] == "tensor")
    assert check_against_torch(run, source) >= 5  # the end state in full, as torch has it


def test_a_training_step_with_every_value_kept_fits_well_under_the_result_limit():
    run = capture((CORPUS / "dcgan_step.py").read_text(), **{**LIMITS, "max_elements": 100_000})
    assert run["status"] == "ok" and len(dumps(run)) < 32 * 1024 * 1024


def test_a_gradient_that_reaches_a_node_that_does_not_run_shows_on_its_tensor():
    """`torch.autograd.grad` at an intermediate stops there, and an error in backward stops at the node that raised:
    the tensor still shows the gradient that flowed into it (the sum of what its senders sent)."""
    source = (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "h = x * 3\n"
        "y = (h ** 2).sum() + h.sum()\n"
        "gh, = torch.autograd.grad(y, h)\n"
    )
    run = run_snippet(source)
    assert values(last_node_named(run, "h")["grad"]) == approx([7.0, 13.0])  # 2h + 1
    assert backward_of(run, last_node_named(run, "h")["grad_fn"])["order"] is None
    check_against_torch(run, source)


def test_a_node_that_a_backward_which_raised_never_began_shows_no_gradient():
    """Backward raised in sigmoid's node (its result changed in place) before the engine began the node of `skip`,
    which had its gradient waiting: torch gave `skip` none, and the node that raised still shows what it received."""
    source = (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "skip = x * 2\n"
        "h = x.sigmoid()\n"
        "h += 1\n"
        "(h + skip).sum().backward()\n"
    )
    run = run_snippet(source)
    assert run["error"]["line"] == 5
    assert last_node_named(run, "skip")["grad"] is None
    sigmoid_out = next(n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == "h")
    assert backward_of(run, sigmoid_out["grad_fn"])["name"] == "SigmoidBackward0"
    assert values(sigmoid_out["grad"]) == [1.0, 1.0]
    check_against_torch(run, source)


def test_the_gradient_that_reached_the_node_a_backward_raised_in_survives_later_passes():
    """A hook on `h` raised, so backward stopped in h's node with [4, 8, 12] arrived from PowBackward0, which ran:
    later passes that do not reach h (one raising in k's node, its hook's result of another dtype) leave that the
    gradient that flowed into h, not PowBackward0 (which ran in the pass) taken for the node it raised in."""
    source = (
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "h = x * 2\n"
        "def bad(g):\n"
        "    raise ValueError('no')\n"
        "h.register_hook(bad)\n"
        "try:\n"
        "    (h ** 2).sum().backward()\n"
        "except ValueError:\n"
        "    pass\n"
        "k = x.exp()\n"
        "k.register_hook(lambda g: g.double())\n"
        "try:\n"
        "    (k * 3).sum().backward()\n"
        "except RuntimeError:\n"
        "    pass\n"
        "(x * 3).sum().backward()\n"
    )
    run = run_snippet(source)
    h, k = last_node_named(run, "h"), last_node_named(run, "k")
    assert values(h["grad"]) == approx([4.0, 8.0, 12.0])
    assert values(k["grad"]) == approx([3.0, 3.0, 3.0])
    assert backward_of(run, h["grad_fn"])["order"] is None and backward_of(run, k["grad_fn"])["order"] is None
    check_against_torch(run, source)


def _stopped(run: dict) -> dict[str, int]:
    """Backward node name -> the pass that raised in it."""
    return {n["name"]: n["raised_in_pass"] for n in run["backward"]["nodes"] if n["raised_in_pass"] is not None}


@pytest.mark.parametrize(
    ("source", "stopped", "error_pass"),
    [
        (  # the saved tensors were freed by the first pass: the second stops where it first needs them
            "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
            "w = torch.tensor([3.0, 4.0], requires_grad=True)\n"
            "y = (x * w).sum()\n"
            "y.backward()\n"
            "y.backward()\n",
            {"MulBackward0": 2},
            2,
        ),
        (  # ... in its root, when the root saved them: no node ran in that pass
            "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2\ny.backward()\ny.backward()\n",
            {"PowBackward0": 2},
            2,
        ),
        (  # a hook on y runs before y's node: the pass stops there
            "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
            "y = x * 3\n"
            "def bad(g):\n"
            "    raise ValueError('no')\n"
            "y.register_hook(bad)\n"
            "y.exp().sum().backward()\n",
            {"MulBackward0": 1},
            1,
        ),
        (  # the snippet's own backward raised
            "class Broken(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        return x * 2\n"
            "    @staticmethod\n"
            "    def backward(ctx, g):\n"
            "        raise ValueError('backward broke')\n"
            "x = torch.tensor([1.0], requires_grad=True)\n"
            "Broken.apply(x).exp().sum().backward()\n",
            {"BrokenBackward": 1},
            1,
        ),
        (  # anomaly mode checks what a node made once it ran
            "x = torch.tensor([0.0], requires_grad=True)\n"
            "with torch.autograd.detect_anomaly():\n"
            "    (torch.sqrt(x) * 0).sum().backward()\n",
            {"SqrtBackward0": 1},
            1,
        ),
        (  # caught: the run goes on, its error is none
            "x = torch.tensor(2.0, requires_grad=True)\n"
            "y = x ** 2\n"
            "y.backward()\n"
            "try:\n"
            "    y.backward()\n"
            "except RuntimeError:\n"
            "    print('caught')\n"
            "(x * 3).backward()\n",
            {"PowBackward0": 2},
            None,
        ),
        (  # raised before any node began: no node to stop in, the error is still the pass's
            "x = torch.tensor([2.0, 3.0], requires_grad=True)\n(x ** 2).backward()\n",
            {},
            1,
        ),
    ],
    ids=["freed", "freed-root", "hook", "function", "anomaly", "caught", "not-begun"],
)
def test_each_backward_pass_that_raised_says_the_node_it_stopped_in(source, stopped, error_pass):
    run = run_snippet(source)
    assert _stopped(run) == stopped
    assert (run["error"] or {}).get("backward_pass") == error_pass
    assert run["status"] == ("ok" if error_pass is None else "error")


@pytest.mark.parametrize(
    ("zeroing", "added"),
    [
        ("    opt.zero_grad()\n", [False, False, False]),  # set to None before each pass
        ("    if w.grad is not None:\n        w.grad.zero_()\n", [False, False, False]),  # zeros, kept
        ("", [False, True, True]),  # forgotten: the gradients accumulate
        ("    if step == 1:\n        opt.zero_grad()\n", [False, False, True]),
    ],
    ids=["zero_grad", "zero_", "forgotten", "once"],
)
def test_each_backward_pass_says_whether_it_added_to_gradients_an_earlier_pass_left(zeroing, added):
    source = (
        "w = torch.tensor([1.0, -1.0], requires_grad=True)\n"
        "opt = torch.optim.SGD([w], lr=0.1)\n"
        "for step in range(3):\n"
        f"{zeroing}"
        "    loss = ((w * torch.tensor([2.0, 3.0])).sum() - 1) ** 2\n"
        "    loss.backward()\n"
        "    opt.step()\n"
    )
    run = run_snippet(source)
    assert run["added_to_grads"] == added
    check_against_torch(run, source)


def test_a_pass_that_adds_to_no_grad_says_nothing_of_accumulating():
    source = (
        "x = torch.tensor(2.0, requires_grad=True)\n"
        "g, = torch.autograd.grad(x ** 2, x, create_graph=True)\n"
        "g.backward()\n"
        "(x * 3).backward()\n"
    )
    run = run_snippet(source)
    assert run["backward_calls"] == ["grad", "backward", "backward"]
    assert run["added_to_grads"] == [None, False, True]


def test_each_backward_pass_says_whether_its_call_named_the_inputs_it_computes_gradients_for():
    source = (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "w = torch.tensor([3.0, 4.0], requires_grad=True)\n"
        "loss = (x * w).sum()\n"
        "loss.backward(inputs=[w], retain_graph=True)\n"
        "g, = torch.autograd.grad(loss, x, retain_graph=True)\n"
        "torch.autograd.backward(loss, inputs=(x,), retain_graph=True)\n"
        "loss.backward()\n"
    )
    run = run_snippet(source)
    assert run["backward_calls"] == ["backward", "grad", "backward", "backward"]
    assert run["backward_inputs_given"] == [True, True, True, False]
    check_against_torch(run, source)


def test_a_leaf_gradient_added_to_what_an_earlier_pass_left_writes_the_sum_it_now_holds():
    source = "w = torch.tensor(1.0, requires_grad=True)\n(w * -16).backward()\n(w * -3.2).backward()\n"
    run = run_snippet(source)
    accumulate = next(n for n in run["backward"]["nodes"] if n["name"] == "AccumulateGrad")
    explain = accumulate["explain"]
    assert explain["inputs"][0]["numbers"] == "-16 + (-3.2) = -19.2"
    assert "이제 -16 + (-3.2) = -19.2입니다" in explain["words"]["ko"] and "비우지 않았으므로" in explain["words"]["ko"]
    check_against_torch(run, source)


def test_a_leaf_whose_gradient_autograd_grad_returned_says_so_not_that_nothing_reached_it():
    """A second derivative by torch.autograd.grad twice: the arrows into x's AccumulateGrad carry 12 and 12, and
    x.grad stays None. The node said no gradient reached it."""
    source = (
        "x = torch.tensor(2.0, requires_grad=True)\n"
        "y = x ** 3\n"
        "dy, = torch.autograd.grad(y, x, create_graph=True)\n"
        "d2y, = torch.autograd.grad(dy, x)\n"
    )
    run = run_snippet(source)
    (accumulate,) = [n for n in run["backward"]["nodes"] if n["name"] == "AccumulateGrad"]
    assert accumulate["order"] is None and last_node_named(run, "x")["grad"] is None
    words = accumulate["explain"]["words"]
    assert "returned the gradient that reached x to the code" in words["en"]
    assert (
        "no gradient reached" not in words["en"] and "x.grad에 더하지 않고 코드에 결과로 돌려주었습니다" in words["ko"]
    )
    check_against_torch(run, source)


def test_a_warning_shows_the_snippets_line_under_it_as_plain_python_does():
    source = "x = torch.ones(2, requires_grad=True)\ny = x * 2\nprint(y.grad)\n"
    run = run_snippet(source)
    assert run["stderr"].startswith("<snippet>:3: UserWarning: The .grad attribute of a Tensor that is not a leaf")
    assert run["stderr"].endswith(")\n  print(y.grad)\n")


def test_anomaly_modes_forward_traceback_shows_the_snippets_frames_only():
    source = (
        "torch.autograd.set_detect_anomaly(True)\n"
        "def root(t):\n"
        "    return t.sqrt()\n"
        "x = torch.tensor([0.0, 1.0], requires_grad=True)\n"
        "y = root(x) * x\n"
        "y.sum().backward()\n"
    )
    run = run_snippet(source)
    assert run["error"]["type"] == "RuntimeError" and run["error"]["line"] == 6
    stack = run["stderr"].split("Traceback of forward call that caused the error:\n")[1].split(" (Triggered")[0]
    assert stack == (
        '  File "<snippet>", line 5, in <module>\n    y = root(x) * x\n'
        '  File "<snippet>", line 3, in root\n    return t.sqrt()\n'
    )


def test_a_traceback_the_snippet_prints_has_no_recorder_frame():
    source = (
        "import traceback\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "try:\n"
        "    torch.arange(3, requires_grad=True)\n"
        "except RuntimeError:\n"
        "    traceback.print_exc()\n"
        "y = (x * 2).sum()\n"
        "y.backward()\n"
        "try:\n"
        "    y.backward()\n"
        "except RuntimeError as exc:\n"
        "    names = [f.name for f in traceback.extract_tb(exc.__traceback__)]\n"
        "    print([name for name in names if name in ('__torch_function__', '_backward')])\n"
    )
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert run["stderr"] == (
        "Traceback (most recent call last):\n"
        '  File "<snippet>", line 4, in <module>\n'
        "    torch.arange(3, requires_grad=True)\n"
        "RuntimeError: Only Tensors of floating point and complex dtype can require gradients\n"
    )
    assert run["stdout"] == "[]\n"


def test_anomaly_mode_a_snippet_turned_on_ends_with_its_run():
    run_snippet("torch.autograd.set_detect_anomaly(True)\nx = torch.ones(1, requires_grad=True)\nraise ValueError\n")
    assert not torch.is_anomaly_enabled()
    run = run_snippet("print(torch.is_anomaly_enabled())\n")
    assert run["stdout"] == "False\n"


def test_a_warning_with_a_stacklevel_shows_at_the_callers_line():
    source = (
        "import warnings\n"
        "def clipped(t):\n"
        "    warnings.warn('clipping', stacklevel=2)\n"
        "    return t.clamp(-1, 1)\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "y = clipped(x * 3)\n"
    )
    run = run_snippet(source)
    assert run["stderr"] == "<snippet>:6: UserWarning: clipping\n  y = clipped(x * 3)\n"


# -- memory: a long training loop --------------------------------------------------------------------------------

TRAINING_LOOP = """
w = torch.randn(32, 32, requires_grad=True)
for step in range(40):
    x = torch.randn(32768, 32)  # 4 MiB a step, dropped by the next
    h = (x @ w).tanh()
    loss = (h * h).sin().mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
    w.grad = None
print(round(loss.item(), 5))
"""


# An evaluation loop: no backward pass, and every step's activations dropped by the next (11 MiB a step).
NO_BACKWARD_LOOP = """
model = nn.Sequential(nn.Linear(256, 1024), nn.ReLU(), nn.Linear(1024, 256))
total = 0.0
with torch.no_grad():
    for step in range(100):
        x = torch.randn(1024, 256)
        out = model(x)
        total += out.abs().mean().item()
print(round(total, 3))
"""

# An evaluation without torch.no_grad(): each step builds a graph that no backward pass runs through, which plain
# Python frees once `out` is bound to the next step's.
EVALUATION_WITHOUT_NO_GRAD = """
model = nn.Sequential(nn.Linear(256, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))
model.eval()
correct = 0
for step in range(100):
    x = torch.randn(256, 256)
    y = torch.randint(0, 10, (256,))
    out = model(x)
    correct += (out.argmax(1) == y).sum().item()
print(correct)
"""


def saved_value(run: dict, saved: dict) -> object:
    """A saved entry's value: its own, or its forward node's."""
    if saved["tensor"] is None:
        return saved["value"] or saved["repr"]
    return next(n["value"] for n in run["forward"]["nodes"] if n["id"] == saved["tensor"])


def test_values_let_go_of_in_a_long_loop_show_as_they_would_have():
    """With GRADWALK_KEEP_VALUES_MB at its least, the loop's older values are summarised while it runs and let go
    of: every value and gradient of the Run is what holding them all shows, and so are the last pass's
    explanations; the older nodes' explanations say why they have no numbers."""
    limits = {"max_elements": 64, "explain_max_nodes": 30}  # (the last five passes)
    held = run_snippet(TRAINING_LOOP, keep_values_mb=100_000, **limits)
    let_go = run_snippet(TRAINING_LOOP, keep_values_mb=1, **limits)
    assert held["stdout"] == let_go["stdout"]
    assert held["forward"] == let_go["forward"]
    assert [e["grad"] for e in held["backward"]["edges"]] == [e["grad"] for e in let_go["backward"]["edges"]]
    passes = held["backward_passes"]
    summarised = 0
    for a, b in zip(held["backward"]["nodes"], let_go["backward"]["nodes"], strict=True):
        assert (a["name"], a["grad_in"], a["grad_out"]) == (b["name"], b["grad_in"], b["grad_out"])
        assert [saved_value(held, s) for s in a["saved"]] == [saved_value(let_go, s) for s in b["saved"]]
        if a["backward_pass"] == passes:
            assert a["explain"] == b["explain"], a["name"]
        elif a["explain"] != b["explain"]:
            summarised += 1
            assert "GRADWALK_KEEP_VALUES_MB" in b["explain"]["words"]["en"]
            assert all(entry["check"] is None for entry in b["explain"]["inputs"])
    assert summarised, "no value was let go of"


def test_values_of_a_loop_that_never_runs_backward_are_let_go_of_and_show_as_they_would_have(monkeypatch):
    """All of an evaluation loop's values are in one pass (no backward ran): past GRADWALK_KEEP_VALUES_MB the ones
    it dropped are summarised and let go of too (each leaves a stand-in), and the Run shows what holding them all
    shows."""
    source = NO_BACKWARD_LOOP.replace("range(100)", "range(8)")
    held = run_snippet(source, keep_values_mb=100_000, max_elements=64)
    stand_ins = []
    made = Values._stand_in
    monkeypatch.setattr(
        Values, "_stand_in", staticmethod(lambda tensor: stand_ins.append(tensor.shape) or made(tensor))
    )
    let_go = run_snippet(source, keep_values_mb=1, max_elements=64)
    assert len(stand_ins) >= 8, "the loop's dropped values were not let go of"
    assert held["status"] == let_go["status"] == "ok" and held["stdout"] == let_go["stdout"]
    assert held["forward"] == let_go["forward"] and held["backward"] == let_go["backward"]


# One training step whose values, dropped by the snippet, pass GRADWALK_KEEP_VALUES_MB = 1 (2 MiB activations).
ONE_BIG_STEP = """
w1 = torch.randn(256, 512, requires_grad=True)
w2 = torch.randn(512, 8, requires_grad=True)
x = torch.randn(1024, 256)
loss = ((x @ w1).tanh() @ w2).sin().pow(2).mean()
loss.backward()
print(round(loss.item(), 4))
"""


def test_the_last_passs_explanations_keep_their_numbers_past_the_memory_it_may_keep():
    """Letting go of the values of a loop that never runs backward let go of the last (here the only) pass's
    gradients and saved values too: its explanations lost their numbers and checks, and no memory came back (autograd
    held its saved values). Only forward values no explanation computes with go: the Run is what holding all shows."""
    held = run_snippet(ONE_BIG_STEP, keep_values_mb=100_000, max_elements=64)
    let_go = run_snippet(ONE_BIG_STEP, keep_values_mb=1, max_elements=64)
    assert held["stdout"] == let_go["stdout"] and held["forward"] == let_go["forward"]
    assert [n["explain"] for n in held["backward"]["nodes"]] == [n["explain"] for n in let_go["backward"]["nodes"]]
    assert held["backward"] == let_go["backward"]
    checks = [i["check"] for n in let_go["backward"]["nodes"] if n["explain"] for i in n["explain"]["inputs"]]
    assert sum(check is not None for check in checks) >= 5 and all(c is None or c["ok"] for c in checks), checks


# A leaf of 131,072 values (its gradients count towards GRADWALK_KEEP_VALUES_MB), stepped in place and its .grad
# set to None after each backward pass.
LARGE_LEAF_STEPS = """
w = torch.randn(256, 512, requires_grad=True)
for step in range(3):
    x = torch.randn(1024, 256)
    loss = (x @ w / 16).exp().mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.01 * w.grad
    w.grad = None
"""


def test_an_older_version_of_a_leaf_shows_its_grad_when_that_gradient_was_let_go_of():
    """A leaf's version before an in-place step shows the `.grad` the step read: the gradient its AccumulateGrad
    received, which, let go of past GRADWALK_KEEP_VALUES_MB, could no longer be read, and the Run said `grad: null`
    where holding every value showed the gradient (PyTorch's: `w.grad` before the step)."""
    held = run_snippet(LARGE_LEAF_STEPS, keep_values_mb=100_000, max_elements=4)
    let_go = run_snippet(LARGE_LEAF_STEPS, keep_values_mb=1, max_elements=4)
    versions = [n for n in held["forward"]["nodes"] if n.get("var") == "w"]
    assert len(versions) == 4 and all(n["grad"] is not None for n in versions[:3]), versions
    torch.manual_seed(0)
    w = torch.randn(256, 512, requires_grad=True)
    x = torch.randn(1024, 256)
    (x @ w / 16).exp().mean().backward()
    assert values(versions[0]["grad"]) == approx(w.grad.flatten()[:4].tolist())
    assert [n["grad"] for n in let_go["forward"]["nodes"] if n.get("var") == "w"] == [n["grad"] for n in versions]
    assert held["forward"] == let_go["forward"]


ADAM_WIDE_MLP = """
model = nn.Sequential(nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(20):
    x = torch.randn(512, 1024)
    loss = F.cross_entropy(model(x), torch.randint(0, 10, (512,)))
    opt.zero_grad()  # (each step's .grad a new tensor: the old one, changed in place, was copied first)
    loss.backward()
    opt.step()
print(round(loss.item(), 4))
"""


# Evaluation steps without no_grad, one of whose outputs the snippet keeps in a list and runs backward through later,
# after a leaf's .grad made with create_graph, whose graph a later backward runs through too.
GRAPHS_KEPT_AND_DROPPED = """
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.Tanh(), nn.Linear(128, 10))
model.eval()
kept = []
for step in range(6):
    out = model(torch.randn(64, 64))
    if step == 1:
        kept.append(out)
w = torch.randn(64, 64, requires_grad=True)
(w.sin() * 2).sum().backward(create_graph=True)
print(round(w.grad.norm().item(), 3))
for step in range(3):
    out = model(torch.randn(64, 64))
kept[0].pow(2).mean().backward()
w.grad.sum().backward()
print(model[0].weight.grad.abs().sum().item(), w.grad.abs().sum().item())
"""


def test_graphs_no_backward_can_reach_are_let_go_of_and_the_run_shows_the_same():
    """Past GRADWALK_KEEP_VALUES_MB, the graphs of steps the snippet dropped are let go of (app.capture.unreachable):
    every value, gradient and edge stays what holding them all shows, and a graph the snippet still reaches (a list's
    output, a leaf's .grad with a graph of its own) runs backward as recorded. Only the words of the nodes let go of
    may say that a value was summarised."""
    held = run_snippet(GRAPHS_KEPT_AND_DROPPED, keep_values_mb=100_000)
    let_go = run_snippet(GRAPHS_KEPT_AND_DROPPED, keep_values_mb=0)
    assert held["status"] == let_go["status"] == "ok" and held["stdout"] == let_go["stdout"]
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.Tanh(), nn.Linear(128, 10))
    outputs = [model(torch.randn(64, 64)) for step in range(6)]
    outputs[1].pow(2).mean().backward()
    assert float(let_go["stdout"].split()[1]) == pytest.approx(model[0].weight.grad.abs().sum().item(), rel=1e-5)
    assert held["forward"] == let_go["forward"] and held["backward"]["edges"] == let_go["backward"]["edges"]

    def without_words(run: dict) -> list:  # (saved values: a link to their forward node, or, let go of, the value)
        return [{k: v for k, v in n.items() if k not in ("explain", "saved")} for n in run["backward"]["nodes"]]

    assert without_words(held) == without_words(let_go)
    ran = [n for n in let_go["backward"]["nodes"] if n["order"] is not None]
    assert len(ran) == len([n for n in held["backward"]["nodes"] if n["order"] is not None]) > 10


def test_what_a_snippet_drops_in_reference_cycles_is_freed_while_it_runs():
    """The cycle collector runs while the snippet runs, as in plain Python: with it off, a loop dropping objects that
    point at themselves (a scalar autograd engine's nodes, each with a closure over itself) kept them all, and a
    loop that plain Python ran in 80 MiB ended at the run's memory limit."""
    source = (
        "import gc, weakref\n"
        "class Value:\n"
        "    def __init__(self, data):\n"
        "        self.data = data\n"
        "        self._backward = lambda: self.data\n"
        "freed, refs = [], []\n"
        "for step in range(20_000):\n"
        "    refs.append(weakref.ref(Value(step), lambda ref: freed.append(1)))\n"
        "print(gc.isenabled(), len(freed) > 15_000)\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "(x * 3).sum().backward()\n"
    )
    run = run_snippet(source)
    assert run["status"] == "ok" and run["stdout"] == "True True\n"
    assert gc.get_threshold()[2] != OLD_EVERY  # (set back after the run: the tests' own collector)


@pytest.mark.parametrize(
    "source",
    [TRAINING_LOOP, ADAM_WIDE_MLP, NO_BACKWARD_LOOP, EVALUATION_WITHOUT_NO_GRAD],
    ids=["activations", "adam_wide_mlp", "no_backward", "evaluation_without_no_grad"],
)
def test_a_long_training_loop_needs_about_the_memory_it_needs_in_plain_python(tmp_path, source):
    """Peak memory (ru_maxrss) of the loop captured, against the loop run plainly, each in a fresh process. Holding
    every step's activations took over 700 MiB more than plain Python (which frees them step by step); with Adam,
    the gradients of older steps (kept for their copies) over 1 GiB more in 40 steps (20 steps here: 500 MiB); a
    loop that never runs backward kept all it made (only older passes were let go of): 1 GiB more; an evaluation
    without no_grad kept every step's graph, and what its nodes saved (100 steps: 500 MiB more)."""
    snippet = tmp_path / "loop.py"
    snippet.write_text(source)
    measure = (
        "import resource, sys, torch\n"
        "torch.set_num_threads(1)\n"
        "source = open(sys.argv[2]).read()\n"
        "if sys.argv[1] == 'plain':\n"
        "    exec(source, {'torch': torch, 'nn': torch.nn, 'F': torch.nn.functional})\n"
        "else:\n"
        "    from app.capture import capture\n"
        "    from app.settings import Settings\n"
        "    limits = {**Settings().capture_limits(), 'record_cpu_s': 600.0}  # (memory is measured here, not time)\n"
        "    assert capture(source, **limits)['status'] == 'ok'\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    peaks = {}
    for how in ("plain", "gradwalk"):
        done = subprocess.run(
            [sys.executable, "-c", measure, how, str(snippet)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=Path(__file__).parents[1],
            check=True,
        )
        peaks[how] = int(done.stdout.split()[-1])
    assert peaks["gradwalk"] - peaks["plain"] < 300, peaks


def test_a_snippet_has_a_file_name_as_a_script_has():
    """`os.path.dirname(__file__)` (a data folder next to the script) raised NameError; plain `python FILE` has it."""
    run = run_snippet(
        "import os\nfrom pathlib import Path\n"
        "data = os.path.join(os.path.dirname(__file__), 'data')\n"
        "print(__name__, Path(__file__).name, data.endswith('data'))"
    )
    assert run["status"] == "ok", run["error"]
    assert run["stdout"] == "__main__ <snippet> True\n"


def test_a_file_run_by_path_sees_its_path_as_python_file_shows_it():
    """`gradwalk capture FILE` ran the file as `<snippet>`: `__file__`, `sys.argv[0]`, argparse's usage line, a
    printed traceback and logging's `%(filename)s` differed from `python FILE`'s. Given the names, the snippet sees
    them; its lines, names and error line are found as before, and the next run is `<snippet>` again."""
    source = (
        "import argparse, logging, sys, traceback\n"
        "log = logging.getLogger('t'); log.addHandler(logging.StreamHandler(sys.stdout)); log.propagate = False\n"
        "log.handlers[0].setFormatter(logging.Formatter('%(filename)s:%(lineno)d %(message)s'))\n"
        "print(__file__, sys.argv, argparse.ArgumentParser().prog)\n"
        "w = torch.ones(2, requires_grad=True)\n"
        "try:\n"
        "    (w * 2).backward()\n"
        "except RuntimeError:\n"
        "    traceback.print_exc(file=sys.stdout, limit=1)\n"
        "log.warning('loss %s', (w * w).sum().item())\n"
        "def step(x):\n"
        "    return x.sin().sum()\n"
        "loss = step(w)\n"
        "loss.backward()\n"
        "w.grad.view(1, 1, 2).item()\n"
    )
    run = orjson.loads(dumps(capture(source, **LIMITS, file="/data/runs/train.py", argv0="runs/train.py")))
    assert run["stdout"] == (
        "/data/runs/train.py ['runs/train.py'] train.py\n"
        "Traceback (most recent call last):\n"
        '  File "/data/runs/train.py", line 7, in <module>\n'
        "    (w * 2).backward()\n"
        "RuntimeError: grad can be implicitly created only for scalar outputs\n"
        "train.py:10 loss 2.0\n"
    )
    assert (run["error"]["type"], run["error"]["line"]) == ("RuntimeError", 15)
    assert {"w", "loss"} <= {n.get("var") for n in run["forward"]["nodes"]}
    pasted = run_snippet("import sys\nprint(__file__, sys.argv, dir())")["stdout"]
    assert pasted == (
        "<snippet> ['<snippet>'] ['F', '__annotations__', '__builtins__', '__cached__', '__doc__', '__file__', "
        "'__loader__', '__name__', '__package__', '__spec__', 'nn', 'sys', 'torch']\n"  # (`python FILE`'s, + imports)
    )


def test_exit_functions_and_standard_outputs_binary_side_as_python_has_them():
    """What a script's `atexit` functions print at its end was missing (the sandbox's child never runs its exit; a
    host process printed it to its own terminal later), and `sys.stdout.buffer.write` and `reconfigure` raised
    AttributeError where `python FILE` writes: now as `python FILE` prints them (its output, here by hand)."""
    source = (
        "import atexit, sys\n"
        "sys.stdout.reconfigure(encoding='utf-8')\n"
        "def bye(name): print('bye', name, w.grad)\n"
        "atexit.register(bye, 'first')\n"
        "@atexit.register\n"
        "def boom(): 1 / 0\n"
        "def never(): print('never')\n"
        "atexit.register(never); atexit.unregister(never)\n"
        "sys.stdout.buffer.write('바이트\\n'.encode())\n"
        "import io; io.TextIOWrapper(sys.stdout.buffer, encoding='utf-8', line_buffering=True).write('hé\\n')\n"
        "sys.stdout.writelines(['a\\n', 'b\\n'])\n"
        "w = torch.ones(2, requires_grad=True)\n"
        "(w * 2).sum().backward()\n"
        "(w * 2).backward()\n"
    )
    run = run_snippet(source)
    assert run["stdout"] == "바이트\nhé\na\nb\nbye first tensor([2., 2.])\n"
    assert (run["error"]["type"], run["error"]["line"]) == ("RuntimeError", 14)
    assert "Exception ignored in atexit callback: <function boom" in run["stderr"]
    assert "ZeroDivisionError" in run["stderr"]


def test_errors_of_exit_functions_and_of_the_excepthook_print_as_python_prints_them():
    """A failing exit function and a failing `sys.excepthook` printed gradwalk's frames and a "During handling of
    the above exception" chain Python does not print, and no "Original exception was:"."""
    source = (
        "import atexit, sys\n"
        "def bad():\n"
        "    raise ValueError('in exit')\n"
        "atexit.register(bad)\n"
        "def hook(*a):\n"
        "    raise KeyError('hook')\n"
        "sys.excepthook = hook\n"
        "raise RuntimeError('main')\n"
    )
    run = run_snippet(source)
    stderr = re.sub(r"<function bad at 0x[0-9a-f]+>", "<function bad>", run["stderr"])
    tracebacks = [
        f'Traceback (most recent call last):\n  File "<snippet>", line {n}, in {where}\n    '
        for n, where in ((6, "hook"), (8, "<module>"), (3, "bad"))
    ]
    assert stderr == (
        f"Error in sys.excepthook:\n{tracebacks[0]}raise KeyError('hook')\nKeyError: 'hook'\n\n"
        f"Original exception was:\n{tracebacks[1]}raise RuntimeError('main')\nRuntimeError: main\n"
        f"Exception ignored in atexit callback: <function bad>\n{tracebacks[2]}raise ValueError('in exit')\n"
        "ValueError: in exit\n"
    )
    assert (run["error"]["type"], run["error"]["line"]) == ("RuntimeError", 8)


def test_the_runs_output_streams_are_text_streams_as_pythons_are():
    """`isinstance(sys.stdout, io.TextIOBase)` (how some libraries decide how to write to a stream) printed True
    under `python FILE` and False under gradwalk, whose streams were plain objects; they are io.TextIOBase streams,
    with the `errors` Python's own standard error has (backslashreplace)."""
    source = (
        "import io, sys\n"
        "print(isinstance(sys.stdout, io.TextIOBase), isinstance(sys.stderr, io.TextIOBase))\n"
        "print(sys.stderr.errors, sys.stdout.writable(), sys.stdout.readable(), file=sys.stderr)\n"
    )
    run = run_snippet(source)
    check_output_and_error(run, source)
    plain = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, check=True)
    assert (
        (run["stdout"], run["stderr"])
        == (plain.stdout, plain.stderr)
        == ("True True\n", "backslashreplace True False\n")
    )


def test_output_put_back_with_sys_dunder_stdout_is_the_runs():
    """`sys.stdout = open(os.devnull, "w")` to silence a noisy call, then `sys.stdout = sys.__stdout__`: what the
    script printed after went to the process's own stream (nowhere in the sandbox), not the Run."""
    source = (
        "import os, sys\n"
        "sys.stdout = open(os.devnull, 'w')\n"
        "print('hidden')\n"
        "sys.stdout.close()\n"
        "sys.stdout = sys.__stdout__\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "(x * 3).sum().backward()\n"
        "print('back', x.grad)\n"
        "print('note', file=sys.__stderr__)\n"
    )
    run = run_snippet(source)  # (as `python FILE` prints it; the oracle's redirect misses sys.__stdout__)
    assert run["stdout"] == "back tensor([3., 3.])\n" and run["stderr"] == "note\n"
    assert sys.__stdout__ is not None and sys.__stdout__.fileno() >= 0  # (the process's own, back)


def test_a_stream_the_snippet_closed_is_closed_as_pythons_is():
    """`sys.stdout.close()`, then a print: `python FILE` raises ValueError (I/O operation on closed file) on the print's
    line; gradwalk's stream stayed open, printed it and the run ended ok. It is closed: `closed` says so, the print
    raises there, what was printed before is the output; and an exit function failing once standard error is closed
    says nothing, as Python says nothing."""
    source = (
        "import atexit, sys\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "(x * 3).sum().backward()\n"
        "print('before', x.grad, sys.stdout.closed)\n"
        "sys.stdout.close()\n"
        "sys.stderr.write(f'{sys.stdout.closed}\\n')\n"
        "print('after')\n"
    )
    run = run_snippet(source)
    plain = subprocess.run([sys.executable, "-c", "import torch\n" + source], capture_output=True, text=True)
    assert (run["stdout"], plain.stdout) == ("before tensor([3., 3.]) False\n",) * 2
    assert run["stderr"] == "True\n" and plain.stderr.startswith("True\nTraceback") and plain.returncode == 1
    assert (run["error"]["type"], run["error"]["line"]) == ("ValueError", 7)
    assert plain.stderr.splitlines()[-1] == "ValueError: " + run["error"]["message"]
    source = "import atexit, sys\natexit.register(lambda: 1 / 0)\nprint('x')\nsys.stderr.close()\nsys.stdout.close()\n"
    run = run_snippet(source)
    plain = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True)
    assert (run["status"], run["stdout"], run["stderr"]) == ("ok", "x\n", "") and plain.returncode == 0
    assert (plain.stdout, plain.stderr) == ("x\n", "")


@pytest.mark.parametrize(
    "rewrap",
    ["io.TextIOWrapper(sys.stdout.detach(), encoding='utf-8')", "codecs.getwriter('utf-8')(sys.stdout.detach())"],
)
def test_standard_output_detached_and_rewrapped_in_utf8_prints_as_in_python(rewrap):
    """`sys.stdout = io.TextIOWrapper(sys.stdout.detach(), encoding="utf-8")`, as scripts written for Windows consoles
    do before printing Korean: `python FILE` prints on; gradwalk's stream had no `detach` and the run ended in
    UnsupportedOperation on that line, with nothing recorded. The bytes under it still go into the run's output, and
    the detached stream refuses to be used, as Python's."""
    source = (
        "import codecs, io, sys\n"
        "old = sys.stdout\n"
        f"sys.stdout = {rewrap}\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "(x * 3).sum().backward()\n"
        "print('기울기', x.grad)\n"
        "try:\n"
        "    old.write('old')\n"
        "except ValueError as e:\n"
        "    print(e)\n"
    )
    run = run_snippet(source)
    plain = subprocess.run([sys.executable, "-c", "import torch\n" + source], capture_output=True, check=True)
    assert run["status"] == "ok", run["error"]
    assert (
        run["stdout"]
        == plain.stdout.decode("utf-8")
        == "기울기 tensor([3., 3.])\nunderlying buffer has been detached\n"
    )


@pytest.mark.parametrize("under", ["sys.stdout.detach()", "sys.stdout.buffer"])
def test_a_stream_the_snippet_made_for_its_output_is_flushed_as_python_exits(under):
    """`out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8")`, `sys.stdout = out`: the new stream holds what is
    printed until it is flushed, which Python does as it exits (the standard streams, after the exit functions). Kept
    in a variable, it was flushed only after gradwalk had read the run's output: the last lines printed were lost."""
    source = (
        "import atexit, io, sys\n"
        f"out = io.TextIOWrapper({under}, encoding='utf-8')\n"
        "sys.stdout = out\n"
        "atexit.register(print, 'at exit')\n"
        "x = torch.ones(2, requires_grad=True)\n"
        "(x * 3).sum().backward()\n"
        "print('기울기', x.grad)\n"
    )
    run = run_snippet(source)
    plain = subprocess.run(
        [sys.executable, "-c", "import torch\n" + source],
        capture_output=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    )
    assert run["status"] == "ok", run["error"]
    assert run["stdout"] == plain.stdout.decode("utf-8") == "기울기 tensor([3., 3.])\nat exit\n"


def test_torch_warnings_are_placed_at_the_line_that_called_the_op():
    """A warning torch's C++ code raises (a non-leaf's `.grad`, `torch.tensor(t)`) said gradwalk's recorder's file
    and line to `catch_warnings(record=True)`, `logging.captureWarnings` and a snippet's own `showwarning`; plain
    Python says the snippet's line; a torch function's own Python warning (`F.softmax` with no dim, `F.mse_loss`
    with shapes that broadcast) said torch's file. And a snippet run from a file in gradwalk's own folder
    (`gradwalk capture app/examples/x.py`) lost its frames from anomaly mode's "Traceback of forward call"."""
    source = (
        "import logging, sys, warnings\n"
        "log = logging.getLogger('py.warnings'); log.addHandler(logging.StreamHandler(sys.stdout))\n"
        "log.propagate = False; log.handlers[0].setFormatter(logging.Formatter('%(message)s'))\n"
        "x = torch.ones(3, requires_grad=True)\n"
        "h = x * 2\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    g = h.grad; v = torch.tensor(x); F.softmax(h.detach().view(1, 3)); F.mse_loss(h, torch.ones(1, 3))\n"
        "\n"
        "print([(w.filename == __file__, w.lineno) for w in caught])\n"
        "logging.captureWarnings(True)\n"
        "t = torch.tensor(x)\n"
        "logging.captureWarnings(False)\n"
        "with torch.autograd.detect_anomaly():\n"
        "    nan = torch.sqrt(x - 1) * 0\n"
        "    nan.sum().backward()\n"
    )
    run = run_snippet(source)
    assert run["stdout"] == run_plain(source, note_gradients=False).stdout.replace("<oracle>", "<snippet>")
    assert run["stdout"].startswith("[(True, 8), (True, 8), (True, 8), (True, 8)]\n<snippet>:12: UserWarning: To c")
    assert (run["error"]["type"], run["error"]["line"]) == ("RuntimeError", 16)
    inside = run_snippet(source, file=str(ROOT / "app" / "examples" / "mine.py"))
    assert "    nan = torch.sqrt(x - 1) * 0\n" in inside["stderr"]


def test_the_snippets_excepthook_sees_its_uncaught_error_and_its_streams_have_file_numbers():
    """A script's own `sys.excepthook` (logging an uncaught error) was never called, so what it printed was missing;
    `os.isatty(sys.stdout.fileno())` raised where a script goes on (output by hand as `python FILE` prints it; the
    oracle's streams have no file; `faulthandler.enable()`: tests/test_sandbox.py, not in pytest's process)."""
    source = (
        "import os, sys\n"
        "\n"
        "print('tty', os.isatty(sys.stdout.fileno()), sys.stderr.fileno())\n"
        "def hook(kind, value, tb):\n"
        "    print('uncaught', kind.__name__, value, tb.tb_frame.f_code.co_name, tb.tb_next.tb_lineno)\n"
        "sys.excepthook = hook; import threading; threading.excepthook = hook\n"
        "def step(w):\n"
        "    return w.view(2, 2)\n"
        "step(torch.ones(3, requires_grad=True))\n"
    )
    host_hook = threading.excepthook
    run = run_snippet(source)
    assert run["stdout"] == (
        f"tty {os.isatty(1)} 2\nuncaught RuntimeError shape '[2, 2]' is invalid for input of size 3 <module> 8\n"
    )
    assert (run["error"]["type"], run["error"]["line"]) == ("RuntimeError", 8)
    assert sys.excepthook is sys.__excepthook__ and threading.excepthook is host_hook  # (the host's, back)


def test_the_mean_of_values_near_float32s_largest_is_a_number_not_null():
    """`loc.new(shape).uniform_()` (a distribution's rsample): the tensor `new` made holds whatever memory it got, at
    times values near float32's largest, whose float32 mean overflowed to -inf, written null: the server refused the
    Run ("a truncated summary without its statistics"), one run in two or three."""
    t = torch.full((2000, 1), -1.7e38)
    t[0] = 1.0
    batched = Summaries(1, 10_000)
    made = [batched(t), batched(t.clone())]
    batched.flush()
    for summary in [*made, summarize(t, 1)]:
        assert summary["truncated"] and summary["mean"] == pytest.approx(-1.7e38 * 1999 / 2000, rel=1e-6)


def test_a_value_read_in_full_and_cut_to_the_runs_budget_keeps_its_statistics():
    """A value summarised while the run goes on (a large gradient, a value let go of) lists every value when
    GRADWALK_MAX_ELEMENTS allows; cut later to the run's budget of values, it was marked truncated without the
    min, max and mean a truncated summary must have (the server refused the Run)."""
    values = torch.tensor([[3.0, -1.0], [float("nan"), 2.0]])
    summaries = Summaries(max_elements=100, max_values=3)
    placed = summaries.place(summarize(values, 100), places=1)
    assert placed["truncated"] and placed["data"] == [3.0, -1.0, "nan"]
    assert (placed["min"], placed["max"], placed["mean"]) == ("nan", "nan", "nan")
    finite = Summaries(max_elements=100, max_values=1).place(summarize(values[:, 1:].reshape(2), 100))
    assert finite["data"] == [-1.0] and finite["truncated"]
    assert (finite["min"], finite["max"], finite["mean"]) == (-1.0, 2.0, 0.5)


@pytest.mark.parametrize(
    "make",
    [
        lambda: torch.randn(100, 200).t(),
        lambda: torch.arange(240.0).reshape(2, 30, 4).permute(2, 0, 1),
        lambda: torch.randint(0, 9, (80, 90)).t(),
        lambda: torch.randn(1000, 3).t()[:, 5:],
    ],
    ids=["transposed", "permuted", "int_transposed", "sliced"],
)
def test_a_large_tensor_that_is_not_contiguous_shows_its_first_values_in_order(make):
    """Its first values came from a copy of the whole tensor (a transposed weight: every optimizer step); they come
    from the rows that hold them now, and must be the same values."""
    tensor = make()
    summary = summarize(tensor, 64)
    flat = tensor.reshape(-1)
    assert summary["truncated"] and summary["data"] == flat[:64].tolist()
    assert (summary["min"], summary["max"]) == (flat.min().item(), flat.max().item())
    assert summary["mean"] == pytest.approx(flat.double().mean().item(), rel=1e-6, abs=1e-6)  # (float32 sums)


def test_a_large_value_changed_in_place_shows_each_version_and_its_saved_link():
    """A large forward value about to change in place is summarised then instead of copied (an optimizer step
    copied every parameter and state it updated): each version still shows its own values, and the saved input of
    the first product still names the first version's node."""
    source = (
        "x = torch.randn(100, 100)\nw = torch.randn(100, 100, requires_grad=True)\n"
        "y = x @ w\nx.add_(1)\nz = (x @ w).sum() + y.sum()\nz.backward()"
    )
    run = run_snippet(source, max_elements=64)
    torch.manual_seed(0)
    x = torch.randn(100, 100)
    first, second = [n for n in run["forward"]["nodes"] if n.get("var") == "x"]
    for node, value in ((first, x), (second, x + 1)):
        assert node["value"]["data"] == value.reshape(-1)[:64].tolist()
        assert node["value"]["mean"] == pytest.approx(value.mean().item(), abs=1e-6)
    saved = [s["tensor"] for n in run["backward"]["nodes"] if n["name"] == "MmBackward0" for s in n["saved"]]
    assert first["id"] in saved and second["id"] in saved


def test_a_large_gradient_changed_in_place_between_two_nodes_shows_each_version():
    """A large gradient is read once however many nodes it passes through, unless it changed in between: here the
    snippet's hook triples it in place after SinBackward0 sent it and before MulBackward0 received it (no node
    explained in full: gradients are read in the hook, not kept)."""
    source = (
        "x = torch.randn(100, 100, requires_grad=True)\nh = x * 2\n"
        "h.register_hook(lambda g: g.mul_(3))\ny = h.sin()\ny.sum().backward()"
    )
    run = run_snippet(source, max_elements=64, explain_max_nodes=0)
    torch.manual_seed(0)
    x = torch.randn(100, 100)
    sent = (x * 2).cos().reshape(-1)
    nodes = {n["name"]: n for n in run["backward"]["nodes"]}
    for shown, value in ((nodes["SinBackward0"]["grad_in"][0], sent), (nodes["MulBackward0"]["grad_out"][0], 3 * sent)):
        assert shown["data"] == pytest.approx(value[:64].tolist(), rel=1e-6)
        assert shown["mean"] == pytest.approx(value.mean().item(), abs=1e-6)


@pytest.mark.parametrize(
    ("step", "named"),
    [
        ("opt = torch.optim.SGD(model.parameters(), lr=0.1)\nopt.step()", {"model.weight.grad", "model.bias.grad"}),
        ("opt = torch.optim.Adam(model.parameters(), lr=0.1)\nopt.step()", {"model.weight.grad", "model.bias.grad"}),
        ("with torch.no_grad():\n    w.sub_(w.grad, alpha=0.1)", {"w.grad"}),
    ],
)
def test_the_gradient_an_update_reads_is_called_the_leafs_grad_not_a_constant(step, named):
    """An optimizer's step (or a hand-written update) reads each leaf's `.grad`: the forward graph calls that tensor
    `model.weight.grad`, with the value of the gradient backward left there."""
    source = (
        "torch.manual_seed(0)\nmodel = nn.Linear(2, 1)\nw = torch.tensor([1.0, -2.0], requires_grad=True)\n"
        "loss = model(torch.ones(1, 2)).pow(2).sum() + (w * w).sum()\nloss.backward()\n" + step + "\n"
    )
    run = run_snippet(source)
    exprs = {n.get("expr"): n for n in run["forward"]["nodes"] if n["kind"] == "tensor"}
    assert named <= set(exprs), sorted(e for e in exprs if e)
    plain = run_plain(source.split("opt = ")[0].split("with torch")[0]).namespace
    expected = {"model.weight.grad": plain["model"].weight.grad, "model.bias.grad": plain["model"].bias.grad}
    expected["w.grad"] = plain["w"].grad
    for name in named:
        assert values(exprs[name]["value"]) == approx(flat(expected[name].tolist())), name


def test_looking_at_the_snippets_objects_runs_none_of_their_code():
    """Names are read from lists, dicts and modules, and hooks wrapped, without calling anything of the snippet's:
    an overridden `__iter__`, `__len__`, `items`, a key's `__repr__`, a `__class__` property, a callable's
    `__getattr__`. So the run prints what plain Python prints, and the tensors are still named through them."""
    source = (CORPUS / "observed_objects_print.py").read_text()
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 3
    w = last_node_named(run, "w")
    assert "params[0]" in w["aliases"] and "state['w']" in w["aliases"]
    assert not any("LoudKey" in alias for alias in w["aliases"])


OBSERVED_THROUGH_CLASSES = """class Meta(type):
    def __eq__(cls, other):
        print("Meta.__eq__")
        return cls is other

    def __hash__(cls):
        print("Meta.__hash__")
        return 1

    def __getattribute__(cls, name):
        if name in ("__dict__", "__mro__", "__module__"):
            print("Meta.__getattribute__", name)
        return type.__getattribute__(cls, name)


class Key(metaclass=Meta):
    pass


class Config(metaclass=Meta):
    scale = 2.0


class Tagged(list):
    @property
    def __class__(self):
        print("Tagged.__class__")
        return list


class Name:
    def __eq__(self, other):
        print("Name.__eq__")
        return self is other

    def __hash__(self):
        return 1

    def __format__(self, spec):
        print("Name.__format__")
        return "name"


class Counted(nn.Module):
    reads = 0

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 1)

    def __getattribute__(self, name):
        if name in ("__dict__", "_parameters", "_buffers", "_modules"):
            Counted.reads += 1
        return super().__getattribute__(name)


w = torch.ones(2, requires_grad=True)
by_kind = {Key: w * 2, Key(): w * 3, "a": w * 4}
kinds = [Key, Config, w * 5]
tagged = Tagged([w * 6, w * 7])
globals()[Name()] = w * 8
net = Counted()
loss = (net(w).sum() + tagged[1].sum()) * Config.scale
loss.backward()
print(w.grad, Counted.reads)
"""


def test_looking_at_the_snippets_objects_runs_none_of_their_classes_code():
    """A class is told from another by identity, and what a class, module or object holds is read where Python keeps
    it: a metaclass of the snippet's `__eq__`, `__hash__` or `__getattribute__` (a class as a dict key or in a list),
    a list's `__class__` property (read by `isinstance` of another type), a module's `__getattribute__` (its
    `_parameters`), and a key that is no string put in `globals()` printed or counted where plain Python runs none of
    them."""
    run = run_snippet(OBSERVED_THROUGH_CLASSES)
    check_output_and_error(run, OBSERVED_THROUGH_CLASSES)
    assert check_against_torch(run, OBSERVED_THROUGH_CLASSES) >= 3
    assert "tagged[1]" in {n["var"] for n in run["forward"]["nodes"] if n["kind"] == "tensor"}


BUILTINS_REPLACED = """import builtins
import sys

callers = set()


def spy(real):
    def spied(*args, **kwargs):
        callers.add(sys._getframe(1).f_globals.get("__name__", "").partition(".")[0])
        return real(*args, **kwargs)

    return spied


for name in ("len", "isinstance", "issubclass", "id", "getattr", "hasattr", "repr", "sorted", "any", "all", "next"):
    setattr(builtins, name, spy(getattr(builtins, name)))
model = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
w = torch.ones(2, requires_grad=True)
parts = [model(w), w * 2]
loss = torch.stack(parts).sum()
loss.backward()
print("app" in callers, "torch" in callers, w.grad)
"""


def test_builtins_the_snippet_replaced_are_its_code_and_torchs_not_gradwalks():
    """A snippet that replaces `len`, `isinstance`, `getattr` and the like in `builtins` has its own code and torch's
    call them, as in plain Python; gradwalk's code, observing it, called them too (each call printed or counted: 139
    calls of a replaced `type` in a three-op snippet, where plain Python made 2)."""
    run = run_snippet(BUILTINS_REPLACED)
    own = dict(vars(builtins))
    try:
        check_output_and_error(run, BUILTINS_REPLACED)  # (its plain run replaces them in this process)
    finally:
        vars(builtins).update(own)
    assert run["stdout"].startswith("False True ")


MODULES_REPLACED = """import sys


class Stub:
    def __getattr__(self, name):
        print("Stub", name)
        raise AttributeError(name)


sys.modules["collections"] = sys.modules["warnings"] = Stub()
x = torch.ones(2, requires_grad=True)
y = (x * 2).sum()
y.backward()
print(x.grad)
"""


def test_modules_the_snippet_replaced_in_sys_modules_are_its_own_not_gradwalks():
    """A snippet may put an object of its own in `sys.modules` (a stub for a module it lacks): gradwalk's code looked
    `collections` up there as it walked the snippet's source (`ast.walk` imports it as it runs) and `warnings` as it
    kept its own warnings quiet (`catch_warnings()`), and the run ended with gradwalk's error and no graphs."""
    saved = {name: sys.modules[name] for name in ("collections", "warnings")}
    try:
        run = run_snippet(MODULES_REPLACED)
        sys.modules.update(saved)
        check_output_and_error(run, MODULES_REPLACED)
    finally:
        sys.modules.update(saved)
    assert run["stdout"] == "tensor([2., 2.])\n"
    assert last_node_named(run, "x") is not None


TENSOR_METHODS_WRAPPED = """calls = {}


def counted(name, method):
    def wrapper(*args, **kwargs):
        calls[name] = calls.get(name, 0) + 1
        return method(*args, **kwargs)

    return wrapper


for name in ("sum", "numel", "detach", "size", "untyped_storage", "element_size", "is_complex", "add"):
    setattr(torch.Tensor, name, counted(name, getattr(torch.Tensor, name)))
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
w = nn.Parameter(torch.ones(3))
loss = (x * w).tanh().sum()
loss.backward()
print(sorted(calls.items()), x.grad)
"""


TORCH_FUNCTIONS_WRAPPED = """calls = {}


def counted(name, function):
    def wrapper(*args, **kwargs):
        calls[name] = calls.get(name, 0) + 1
        return function(*args, **kwargs)

    return wrapper


for name in ("is_grad_enabled", "set_grad_enabled", "no_grad", "enable_grad", "ones_like"):
    setattr(torch, name, counted(name, getattr(torch, name)))
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
loss = (x * 2).tanh().sum()
loss.backward()
print(sorted(calls.items()), x.grad)
"""


def test_torch_functions_the_snippet_wrapped_are_called_as_often_as_in_plain_torch():
    """gradwalk's recorder called `torch.no_grad`, `torch.is_grad_enabled` and `torch.ones_like` by looking them up in
    torch as it ran (`torch.no_grad` itself calls `torch.is_grad_enabled` and `torch.set_grad_enabled` so): a snippet
    that wrapped them counted 17 calls where plain torch makes 1."""
    own = {name: getattr(torch, name) for name in ("is_grad_enabled", "set_grad_enabled", "no_grad", "enable_grad")}
    own["ones_like"] = torch.ones_like
    try:
        run = run_snippet(TORCH_FUNCTIONS_WRAPPED)
        vars(torch).update(own)
        check_output_and_error(run, TORCH_FUNCTIONS_WRAPPED)
    finally:
        vars(torch).update(own)
    assert run["stdout"].startswith("[('ones_like', 1)] ")  # (backward's own)


def test_tensor_methods_the_snippet_wrapped_are_called_as_often_as_in_plain_torch():
    """A snippet that wraps methods of torch.Tensor (a counter, a logger) has them called by its own code and torch's
    alone: gradwalk's recorder called `numel` 19 times and `detach` 6 more, and a wrapped method's call was handed to
    the recorder as the wrapper, called a second time (`sum` counted twice)."""
    own = {name: vars(torch.Tensor).get(name) for name in ("sum", "numel", "detach", "size", "untyped_storage")}
    own.update({name: vars(torch.Tensor).get(name) for name in ("element_size", "is_complex", "add")})

    def put_back():
        for name, method in own.items():
            if method is not None:
                setattr(torch.Tensor, name, method)
            elif name in vars(torch.Tensor):
                delattr(torch.Tensor, name)

    try:
        run = run_snippet(TENSOR_METHODS_WRAPPED)
        put_back()
        check_output_and_error(run, TENSOR_METHODS_WRAPPED)
    finally:
        put_back()
    assert run["stdout"].startswith("[('numel', 1), ('sum', 1)] ")  # (backward's own numel)


TENSOR_METHODS_WRAPPED_TRAINING = """calls = {}


def counted(name, method):
    def wrapper(*args, **kwargs):
        calls[name] = calls.get(name, 0) + 1
        return method(*args, **kwargs)

    return wrapper


for name in ("clone", "detach", "numel", "untyped_storage", "element_size", "dim"):
    setattr(torch.Tensor, name, counted(name, getattr(torch.Tensor, name)))
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.ones(4, 3)
for step in range(x.dim() * 3):
    loss = model(x).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(sorted(calls.items()))
"""


def test_tensor_methods_the_snippet_wrapped_are_not_called_as_gradwalk_keeps_and_copies_values():
    """The same through a training loop that pauses: the values an optimizer step changes in place are copied
    (`clone`, `detach`), their memory looked up (`untyped_storage`, `element_size`, `numel`), the gradients of passes
    run unrecorded copied, and the loop's header `range(x.dim() * 3)` read for its end, all by gradwalk's code: none
    of it may go through the snippet's wrappers (they counted 8 clones, 57 storages and 3 dims of gradwalk's)."""
    names = ("clone", "detach", "numel", "untyped_storage", "element_size", "dim")
    own = {name: vars(torch.Tensor).get(name) for name in names}

    def put_back():
        for name, method in own.items():
            if method is not None:
                setattr(torch.Tensor, name, method)
            elif name in vars(torch.Tensor):
                delattr(torch.Tensor, name)

    try:
        run = run_snippet(TENSOR_METHODS_WRAPPED_TRAINING, max_recorded_passes=2)
        put_back()
        check_output_and_error(run, TENSOR_METHODS_WRAPPED_TRAINING)
    finally:
        put_back()
    assert run["recorded_passes"] is not None and run["recorded_passes"] < run["backward_passes"]  # (it paused)


def test_a_wrapper_subclass_is_marked_unreadable_and_its_dispatch_never_runs_for_gradwalk():
    """A tensor subclass with its own `__torch_dispatch__` runs the snippet's code on every op: its values are
    marked unreadable (no op of gradwalk's touches it; reading it under a disabled dispatch would read memory it
    does not have), every explanation it reaches says why it is not checked, and the run ends as plain Python's."""
    source = (CORPUS / "dispatch_wrapper_subclass.py").read_text()
    run = run_snippet(source)
    check_output_and_error(run, source)
    reason = "a tensor subclass of the snippet's own"
    assert last_node_named(run, "d")["value"]["unreadable"].startswith(reason)
    assert last_node_named(run, "b")["grad"]["unreadable"].startswith(reason)
    assert values(last_node_named(run, "c")["value"]) == [9.0, 12.0]
    explained = [n["explain"] for n in run["backward"]["nodes"] if n["explain"]]
    assert explained and not any("could not be evaluated" in e["words"]["en"] for e in explained)
    assert all(i["check"] is None or i["check"]["ok"] for e in explained for i in e["inputs"])


def test_each_run_prints_tensors_as_a_fresh_process_does():
    """`torch.set_printoptions` lasts for the process: one run's `precision=2` printed the next run's tensors that way
    (and a host's options its runs'), where `python FILE` prints with torch's defaults. Each run starts from them,
    and the host's options come back after."""
    torch.set_printoptions(precision=6)
    try:
        first = run_snippet(
            "print(torch.tensor([1.23456]))\ntorch.set_printoptions(precision=2)\nprint(torch.tensor([1.23456]))\n"
        )
        second = run_snippet("print(torch.tensor([1.23456]))\n")
        assert first["stdout"] == "tensor([1.2346])\ntensor([1.23])\n"
        assert second["stdout"] == "tensor([1.2346])\n"
        assert torch._tensor_str.get_printoptions()["precision"] == 6
    finally:
        torch.set_printoptions(profile="default")


LOGGING_WRAPPER = """from torch.utils._pytree import tree_map


class Logged(torch.Tensor):
    @staticmethod
    def __new__(cls, elem):
        r = torch.Tensor._make_wrapper_subclass(cls, elem.shape, dtype=elem.dtype, requires_grad=elem.requires_grad)
        r.elem = elem
        return r

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        out = func(*tree_map(lambda t: t.elem if isinstance(t, Logged) else t, args), **(kwargs or {}))
        print(func.__name__)
        return tree_map(lambda t: Logged(t) if isinstance(t, torch.Tensor) else t, out)


x = Logged(torch.tensor([1.0, 2.0, 3.0], requires_grad=True))
(x * x).sum().backward()
print(x.grad.elem)
"""


def test_a_wrapper_subclass_gradient_becomes_the_leafs_grad_as_in_plain_torch():
    """Autograd takes a gradient over as a leaf's `.grad` (one `detach`) only when nothing else holds it, else copies
    it (`new_empty_strided`, `copy_`): gradwalk kept the gradient of a wrapper subclass of the snippet's itself (a view
    of it runs the snippet's code), so the snippet's `__torch_dispatch__` printed the copy's ops, not the detach."""
    run = run_snippet(LOGGING_WRAPPER)
    check_output_and_error(run, LOGGING_WRAPPER)
    assert run["stdout"].splitlines()[-2] == "detach.default"
    reason = "a tensor subclass of the snippet's own"
    assert last_node_named(run, "x")["grad"]["unreadable"].startswith(reason)


LARGE_GRADIENT_TAKEN_OVER = """from torch.utils._python_dispatch import TorchDispatchMode


class OpLog(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.ops = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.ops.append(func.__name__)
        return func(*args, **(kwargs or {}))


w = torch.randn(300, 300, requires_grad=True)
seen = []
w.register_hook(lambda g: seen.append(g.data_ptr()))
with OpLog() as log:
    (w * 2).sum().backward()
print(log.ops[-1], w.grad.data_ptr() == seen[0])
"""


def test_a_large_gradient_becomes_the_leafs_grad_as_in_plain_torch():
    """A gradient of more than 4096 values, kept for its node's explanation, was held itself (a small one is held as a
    view): autograd then copied it into the leaf's `.grad` (a second buffer as large, and the snippet's dispatch mode
    logged `copy_` where plain torch logs `detach`)."""
    run = run_snippet(LARGE_GRADIENT_TAKEN_OVER)
    check_output_and_error(run, LARGE_GRADIENT_TAKEN_OVER)
    assert run["stdout"] == "detach.default True\n"
    assert check_against_torch(run, LARGE_GRADIENT_TAKEN_OVER) >= 1


OPCHECK = """from torch.library import custom_op


@custom_op("gw::softclip", mutates_args=())
def softclip(x: torch.Tensor, limit: float) -> torch.Tensor:
    return limit * torch.tanh(x / limit)


softclip.register_fake(lambda x, limit: torch.empty_like(x))


def setup_context(ctx, inputs, output):
    ctx.save_for_backward(inputs[0])
    ctx.limit = inputs[1]


def backward(ctx, grad):
    return grad * (1 - torch.tanh(ctx.saved_tensors[0] / ctx.limit) ** 2), None


softclip.register_autograd(backward, setup_context=setup_context)
x = torch.tensor([0.5, -4.0, 10.0], requires_grad=True)
y = softclip(x, 2.0)
y.sum().backward()
torch.library.opcheck(softclip, (torch.randn(4, requires_grad=True), 1.5))
print(y, x.grad)
"""


def test_tensors_traced_with_symbolic_shapes_are_marked_and_the_run_is_drawn():
    """`torch.library.opcheck` runs the op's backward on tensors torch traces with symbolic shapes (a SymInt for a
    size): their gradients could not be summarised (a SymInt is no dictionary key) and the run ended in a
    GradwalkError with no graphs. They are marked as traced; everything else is shown as in plain torch."""
    run = run_snippet(OPCHECK)
    assert run["status"] == "ok", run["error"]
    check_output_and_error(run, OPCHECK)
    assert check_against_torch(run, OPCHECK) >= 2
    marked = [n["value"] for n in run["forward"]["nodes"] if n["kind"] == "tensor"]
    assert any(v.get("unreadable") == SYMBOLIC for v in marked)


def test_a_tensor_traced_with_symbolic_sizes_is_summarised_with_no_symbol_in_it():
    """Every way a value is read (a summary, a summary let go of, an unreadable one) leaves out a size torch traced as
    a symbol: in the whole corpus run a SymInt reached a shape through another way than the first, and the Run could
    not be written (`Type is not JSON serializable: SymInt`), graphs and output lost."""
    from torch.fx.experimental.proxy_tensor import make_fx

    from app.capture.summary import unreadable

    seen = []
    make_fx(lambda x: seen.append(x) or x * 2, tracing_mode="symbolic")(torch.randn(4, 3))
    traced = seen[0]
    assert any(type(size) is not int for size in traced.shape)  # (what the test is about)
    for summary in (summarize(traced, 1), unreadable(traced, "why"), Summaries(1, 100)(traced)):
        assert summary["shape"] == [] and summary["unreadable"] == SYMBOLIC
        assert orjson.loads(orjson.dumps(summary)) == summary


def test_a_jagged_nested_tensor_is_summarised_as_a_nested_tensor_however_it_is_read():
    """A nested tensor of torch.jagged layout has a symbol for its ragged size, as a traced tensor has: it was called a
    tensor traced with a symbolic shape (shape [], "its compiler, torch.library.opcheck") where the strided layout's
    says it is a nested tensor of so many pieces."""
    from app.capture.summary import NESTED, unreadable

    nested = torch.nested.nested_tensor([torch.ones(2, 3), torch.ones(4, 3)], layout=torch.jagged)
    for summary in (summarize(nested, 100), unreadable(nested, "why"), Summaries(100, 1000)(nested)):
        assert summary["shape"] == [2] and summary["unreadable"] == NESTED
        assert orjson.loads(orjson.dumps(summary)) == summary


MASKED_TENSORS = """import warnings
warnings.filterwarnings("ignore")
from torch.masked import masked_tensor

data = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
mask = torch.tensor([[True, False, True], [False, True, True]])
mt = masked_tensor(data, mask, requires_grad=True)
s = mt.sum()
full = masked_tensor(data, torch.ones(2, 3, dtype=torch.bool))
print(s, full.sum())
"""


def test_a_tensor_subclass_of_torchs_own_is_not_called_the_snippets_and_a_masked_tensor_shows_what_it_holds():
    """torch.masked's MaskedTensor has its own `__torch_dispatch__`, but it is torch's code, not the snippet's: it was
    marked "a tensor subclass of the snippet's own". Its values are read where MaskedTensor keeps them (no op runs on
    it) when no entry is masked out; one with masked-out entries (which hold no value) is marked as torch's, unread."""
    run = run_snippet(MASKED_TENSORS)
    check_output_and_error(run, MASKED_TENSORS)
    assert check_against_torch(run, MASKED_TENSORS) >= 4
    assert last_node_named(run, "mt")["value"]["unreadable"] == TORCH_SUBCLASS
    assert values(last_node_named(run, "s")["value"]) == [15.0]
    assert values(last_node_named(run, "full")["value"]) == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]


def test_a_subclass_of_torchs_masked_tensor_defined_outside_torch_is_the_snippets_own():
    """Its dispatch is torch's, but the class is not: what it holds is its own code's to say, and gradwalk reads
    nothing of it (not even where MaskedTensor keeps its values), as for any wrapper subclass of the snippet's."""

    class Mine(torch.masked.MaskedTensor):
        pass

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (MaskedTensor is a prototype, and says so)
        mine = Mine(torch.tensor([1.0, 2.0]), torch.tensor([True, True]))
    assert summarize(mine, 10) == {
        "shape": [2],
        "dtype": "float32",
        "data": None,
        "truncated": False,
        "unreadable": OWN_DISPATCH[0],
    }


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        ("w -= lr * w.grad", "lr * w.grad"),
        ("w.sub_(0.1 * w.grad)", "0.1 * w.grad"),
        ("w.add_(w.grad, alpha=-lr)", "w.grad"),  # (the leaf's .grad itself: named after it, not `-lr`)
        ("w -= torch.clamp(w.grad, -1, 1) * lr", "torch.clamp(…) * lr"),
    ],
)
def test_a_step_computed_from_a_gradient_under_no_grad_is_called_by_its_expression_not_constant(update, expected):
    """`lr * w.grad` runs on tensors outside the graph (no op is recorded for it); the tensor it makes comes into
    the graph when the update reads it, and is labelled by what the line says it is."""
    source = (
        "w = torch.tensor([1.0, -2.0], requires_grad=True)\nloss = (w * w).sum()\nloss.backward()\nlr = 0.5\n"
        f"with torch.no_grad():\n    {update}\n"
    )
    run = run_snippet(source)
    tensors = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor"]
    assert "constant" not in {n.get("expr") for n in tensors}
    read = next(n for n in tensors if n["line"] == 6 and n["var"] is None)
    assert read["expr"] == expected
    assert read["requires_grad"] is False  # (still drawn as a tensor that needs no gradient)


CUSTOM_RELU = """class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * (input > 0)

x = torch.tensor([-1.0, 2.0, 3.0], requires_grad=True)
y = MyReLU.apply(x)
loss = (y * 2).sum()
loss.backward()
"""


def test_a_custom_functions_output_comes_from_its_apply_line_and_was_computed_in_forward():
    """The backward node a custom Function's `.apply(...)` makes points at that line (the page's "in the code"),
    not into its forward(); forward()'s line, where the value was computed, is kept as `forward_line`."""
    run = run_snippet(CUSTOM_RELU)
    lines = CUSTOM_RELU.splitlines()
    apply_line = next(i for i, text in enumerate(lines, 1) if "MyReLU.apply(x)" in text)
    clamp_line = next(i for i, text in enumerate(lines, 1) if "input.clamp" in text)
    node = next(n for n in run["backward"]["nodes"] if n["name"] == "MyReLUBackward")
    y = next(n for n in run["forward"]["nodes"] if n["id"] == node["tensor"])
    assert (y["var"], y["line"], y["forward_line"]) == ("y", apply_line, clamp_line)
    clamp = next(n for n in run["forward"]["nodes"] if n["kind"] == "op" and n["op"] == "clamp")
    assert clamp["line"] == clamp_line  # (the op itself ran in forward())
    assert all(n["forward_line"] is None for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n is not y)
    check_against_torch(run, CUSTOM_RELU)


def test_what_a_custom_functions_forward_computes_with_is_no_cut():
    """autograd runs a custom Function's forward() and setup_context() under no_grad: `3 * x ** 2` there made a tensor
    that needs no gradient of x, which does, and was drawn as a cut of x (and `torch.sigmoid(x)` saved in
    setup_context() too), though the gradient reaches x through the Function's backward()."""
    source = (
        "class Cube(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(x):\n"
        "        return x ** 3, 3 * x ** 2\n"
        "    @staticmethod\n"
        "    def setup_context(ctx, inputs, output):\n"
        "        ctx.save_for_backward(torch.sigmoid(inputs[0]), output[1])\n"
        "    @staticmethod\n"
        "    def backward(ctx, g, gdx):\n"
        "        sig, dx = ctx.saved_tensors\n"
        "        return g * dx + gdx * sig\n"
        "x = torch.tensor([1.0, -2.0], requires_grad=True)\n"
        "y, dy = Cube.apply(x)\n"
        "(y.sum() + dy.sum()).backward()\n"
        "z = x.detach() ** 2\n"
    )
    run = run_snippet(source)
    ops = [n for n in run["forward"]["nodes"] if n["kind"] == "op"]
    assert {(n["op"], n["line"]) for n in ops if n["line"] in (4, 7)} == {("pow", 4), ("mul", 4), ("sigmoid", 7)}
    assert [(n["op"], n["line"]) for n in ops if n["cut"] or n["non_differentiable"]] == [("detach", 15)]
    assert check_against_torch(run, source) >= 3


def test_a_modules_full_backward_hook_leaves_its_output_made_by_the_module_on_the_calls_line():
    """A module with a full backward hook runs its inputs and outputs through a Function of torch's (`view_as` under
    no_grad, then `apply` gives the result its backward node): its output `d` was drawn made by no op, on the line it
    was first used, and the tensor after the hook's input side as "made inside torch", the graph broken twice."""
    source = (
        "feature = nn.Linear(3, 4)\n"
        "head = nn.Linear(4, 1)\n"
        "head.register_full_backward_pre_hook(lambda module, grad_output: (-0.5 * grad_output[0],))\n"
        "x = torch.randn(5, 3)\n"
        "f = feature(x)\n"
        "d = head(f)\n"
        "loss = F.binary_cross_entropy_with_logits(d, torch.ones(5, 1))\n"
        "loss.backward()\n"
    )
    run = run_snippet(source)
    nodes = run["forward"]["nodes"]
    made = {e["target"] for e in run["forward"]["edges"] if e["source"].startswith("o")}
    grad_fns = {n["grad_fn"] for n in nodes if n["kind"] == "tensor"}
    for n in nodes:  # (every tensor with a backward node came from the op that made it)
        assert n["kind"] == "op" or n["grad_fn"] is None or n["id"] in made, n
    d = last_node_named(run, "d")
    assert d["line"] == 6 and {b["name"] for b in run["backward"]["nodes"] if b["id"] == d["grad_fn"]} == {
        "BackwardHookFunctionBackward"
    }
    assert len([b for b in run["backward"]["nodes"] if b["id"] in grad_fns]) == len(grad_fns - {None})
    assert check_against_torch(run, source) >= 4


def test_a_custom_function_called_in_an_expression_or_marking_its_input_dirty_points_at_its_apply():
    source = (
        "class Double(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, x):\n"
        "        x.mul_(2)\n"
        "        ctx.mark_dirty(x)\n"
        "        return x\n"
        "    @staticmethod\n"
        "    def backward(ctx, grad):\n"
        "        return grad * 2\n"
        "class Square(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, x):\n"
        "        ctx.save_for_backward(x)\n"
        "        return x * x\n"
        "    @staticmethod\n"
        "    def backward(ctx, grad):\n"
        "        (x,) = ctx.saved_tensors\n"
        "        return 2 * x * grad\n"
        "h = torch.ones(2, requires_grad=True) * 3\n"
        "out = Double.apply(h)\n"
        "loss = Square.apply(out).sum()\n"
    )
    run = run_snippet(source + "loss.backward()\n")
    tensors = {n["id"]: n for n in run["forward"]["nodes"] if n["kind"] == "tensor"}
    made = {n["name"]: tensors[n["tensor"]] for n in run["backward"]["nodes"] if n["tensor"] in tensors}
    assert (made["DoubleBackward"]["line"], made["DoubleBackward"]["forward_line"]) == (20, 4)
    assert (made["SquareBackward"]["line"], made["SquareBackward"]["forward_line"]) == (21, 14)
    assert made["SquareBackward"]["expr"] == "Square.apply(out)"


def test_each_backward_pass_says_whether_backward_or_autograd_grad_started_it():
    """The page tells a learner that torch.autograd.grad() returns its gradients and changes no .grad, and which
    backward() call is the first: each pass records what started it, a pass that ran no node or raised too."""
    source = (
        "x = torch.tensor(2.0, requires_grad=True)\n"
        "y = x ** 3\n"
        "(dy_dx,) = torch.autograd.grad(y, x, create_graph=True)\n"
        "dy_dx.backward()\n"
        "z = torch.tensor(1.0, requires_grad=True) * 2\n"
        "torch.autograd.backward([z])\n"
        "try:\n"
        "    torch.autograd.grad(z, x)\n"  # (x is not in z's graph: raises before running any node)
        "except RuntimeError:\n"
        "    pass\n"
    )
    run = run_snippet(source)
    assert run["backward_passes"] == 4
    assert run["backward_calls"] == ["grad", "backward", "backward", "grad"]
    assert run_snippet(seed("1_scalar.py"))["backward_calls"] == ["backward"]
    assert run_snippet("x = torch.ones(2, requires_grad=True)\ny = x * 2\n")["backward_calls"] == []


def test_a_failure_drawing_the_graphs_keeps_what_the_snippet_printed(monkeypatch):
    """A bug of gradwalk's met while exporting one run ends that run with an error that says so, with the printed
    output kept: never a crash, never a lost run."""
    import app.capture as capture_module

    def broken(*_args):
        raise RuntimeError("an exporter bug")

    monkeypatch.setattr(capture_module, "export_graphs", broken)
    run = run_snippet("x = torch.ones(2, requires_grad=True)\nprint('before')\n(x * 2).sum().backward()\n")
    assert run["status"] == "error" and run["stdout"] == "before\n"
    assert run["error"]["type"] == "GradwalkError" and "an exporter bug" in run["error"]["message"]
    assert run["forward"]["nodes"] == [] and run["backward"]["nodes"] == []


def test_a_loop_that_takes_half_of_record_cpu_s_runs_on_unrecorded_and_one_graph_past_it_stops():
    """A training loop too long to record (the tutorial's 2000 steps) is recorded until recording took half of
    GRADWALK_RECORD_CPU_S of CPU time; then the loop runs on unrecorded (each torch call only checked), to its end:
    what it printed is all there, and every backward pass is counted (`ok`, `recording_paused`). A loop that builds
    one graph is recorded until the whole of it, then the recording stops (`limit`, `RecordLimit`)."""
    source = (
        "w = torch.randn((), requires_grad=True)\n"
        "x = torch.linspace(-1, 1, 200)\n"
        "for t in range(3000):\n"
        "    loss = (w * x - x).pow(2).sum()\n"
        "    print(t)\n"
        "    loss.backward()\n"
        "    with torch.no_grad():\n"
        "        w -= 1e-3 * w.grad\n"
        "        w.grad = None\n"
    )
    started = time.process_time()
    run = loads(dumps(capture(source, **{**LIMITS, "record_cpu_s": 0.3})))
    assert time.process_time() - started < 10
    paused = run["recording_paused"]
    assert run["status"] == "ok" and paused["type"] == "LoopPaused" and paused["line"] in (4, 6, 8)
    assert "half of the 0.3 s of CPU time" in paused["message"] and run["recording_stopped"] is None
    assert run["stdout"].split() == [str(t) for t in range(3000)]
    assert run["backward_passes"] == 3000 and 3 <= run["recorded_passes"] < 3000 and run["backward"]["nodes"]
    assert len(run["backward_calls"]) == 3000
    chain = "w = torch.randn((), requires_grad=True)\ny = w\nfor t in range(100_000):\n    y = y * 1.0\nprint(t)\n"
    run = loads(dumps(capture(chain, **{**LIMITS, "record_cpu_s": 0.3})))
    assert run["status"] == "limit" and run["error"]["type"] == "RecordLimit" and run["error"]["line"] == 4
    assert "record_cpu_s = 0.3 s" in run["error"]["message"] and run["recording_stopped"] == run["error"]
    assert run["stdout"] == "99999\n" and run["recording_paused"] is None


def test_a_backward_calls_own_gradients_are_the_seeds_of_its_roots():
    """backward([y2, y2.sum()], [ones, 5]) starts at y2's node with ones and at the sum's with 5; y2's node received
    6 = its seed 1 + the 5 the sum sent it. A one-element root given nothing starts from 1; a root given twice
    starts from the sum; nodes the call did not start at have no seed."""
    run = run_snippet(
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "y2 = x * x\n"
        "torch.autograd.backward([y2, y2.sum()], [torch.ones(2), torch.tensor(5.0)])\n"
        "a = x[0] * 3\n"
        "torch.autograd.grad([a, a, a * a], [x], [torch.tensor(0.5), None, None])\n"
    )
    made = {n["grad_fn"]: n["var"] for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["grad_fn"]}
    seeds = {
        (made.get(n["id"]) or n["name"], n["backward_pass"]): values(n["seed"][0])
        for n in run["backward"]["nodes"]
        if n["seed"]
    }
    assert seeds == {("y2", 1): [1.0, 1.0], ("SumBackward0", 1): [5.0], ("a", 2): [1.5], ("MulBackward0", 2): [1.0]}
    y2 = next(n for n in run["backward"]["nodes"] if made.get(n["id"]) == "y2")
    assert values(y2["grad_out"][0]) == [6.0, 6.0]


LONG_LOOP = """
torch.manual_seed(7)
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
model = nn.Sequential(nn.Linear(2, 6), nn.Sigmoid(), nn.Linear(6, 1), nn.Sigmoid())
optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
for epoch in range(300):
    optimizer.zero_grad()
    hypothesis = model(X)
    cost = F.binary_cross_entropy(hypothesis, Y)
    cost.backward()
    optimizer.step()
    if epoch % 50 == 0:
        print(epoch, round(cost.item(), 5))
with torch.no_grad():
    final = model(X)
    predicted = (final > 0.5).float()
    accuracy = (predicted == Y).float().mean()
print(final, accuracy.item())
"""


def test_a_long_training_loop_is_recorded_for_its_first_passes_and_from_the_code_after_it():
    """Past max_recorded_passes the loop runs on unrecorded (all its output printed, every pass counted) and the
    recording resumes with the code after it: the evaluation there, and what the snippet left bound, show their
    values as torch has them at the end; nothing is drawn as a node backward never ran."""
    run = run_snippet(LONG_LOOP, max_recorded_passes=20)
    check_output_and_error(run, LONG_LOOP)
    assert run["status"] == "ok" and run["backward_passes"] == 300 and run["recorded_passes"] == 21
    plain = run_plain(LONG_LOOP, note_gradients=False).namespace
    for name in ("final", "predicted", "accuracy", "cost", "model.0.weight"):
        node = last_node_named(run, name)
        expected = plain[name] if "." not in name else plain["model"][0].weight
        assert values(node["value"]) == approx(expected.flatten().tolist()), name
    assert last_node_named(run, "final")["line"] == 16
    assert all(node["order"] is not None for node in run["backward"]["nodes"])
    assert {node["backward_pass"] for node in run["backward"]["nodes"]} == {*range(1, 21), 300}  # (its last too)
    assert run["backward_calls"] == ["backward"] * 300
    whole = run_snippet(LONG_LOOP)  # (the tests' own limits record every pass)
    assert whole["recorded_passes"] is None and len(whole["forward"]["nodes"]) > 10 * len(run["forward"]["nodes"])


EVALUATION_LOOP = """
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
X = torch.randn(64, 4)
y = torch.randint(0, 3, (64,))
for epoch in range(5):
    opt.zero_grad()
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    opt.step()

def accuracy(model, X, y):
    correct = 0
    with torch.no_grad():
        for i in range(400):
            out = model(X[i % 64].unsqueeze(0))
            pred = out.argmax(1)
            correct += int(pred.item() == y[i % 64].item())
    return correct / 400

print("accuracy", accuracy(model, X, y))
final = F.cross_entropy(model(X), y)
final.backward()
print(round(final.item(), 4))
"""


def test_a_forward_only_loop_that_fills_half_the_graph_pauses_and_the_code_after_it_is_recorded():
    """A per-sample evaluation loop, no backward pass in it, filled the graph: the run ended `limit` and the code
    after the loop was never recorded. At half of what the graph may hold it pauses as a training loop does: it runs
    on unrecorded, and the recording resumes after it, so the last loss and its gradients are shown as torch has them
    and the run is `ok`, with where it paused in `recording_paused`."""
    run = run_snippet(EVALUATION_LOOP, max_nodes=2000)
    check_output_and_error(run, EVALUATION_LOOP)
    assert run["status"] == "ok" and run["recording_stopped"] is None, run["error"]
    paused = run["recording_paused"]
    assert paused["type"] == "LoopPaused" and paused["line"] in (17, 18) and "half of the 2000" in paused["message"]
    assert "반복문" in paused["hint"]["ko"] and "after the loop" in paused["hint"]["en"]
    plain = run_plain(EVALUATION_LOOP).namespace
    final = last_node_named(run, "final")
    assert final["line"] == 23 and values(final["value"]) == approx([plain["final"].item()])
    weight = last_node_named(run, "model.0.weight")
    assert values(weight["grad"]) == approx(
        plain["model"][0].weight.grad.flatten().tolist()[: len(values(weight["grad"]))]
    )
    assert run["backward_passes"] == 6 and run["recorded_passes"] is None
    assert len(run["forward"]["nodes"]) + len(run["backward"]["nodes"]) < 2000
    whole = run_snippet(EVALUATION_LOOP)  # (room for it all: nothing pauses)
    assert whole["recording_paused"] is None and whole["status"] == "ok"


DATASET_IN_A_LOOP = """
samples = []
for i in range(3000):
    seq = torch.randint(1, 50, (8,))
    samples.append(seq.float() / 50)
X = torch.stack(samples)
del samples
X = (X - X.mean(0)) / X.std(0)
print(X.shape, round(X.abs().max().item(), 4))
"""


def test_one_call_over_more_tensors_than_half_the_room_left_is_left_out_and_the_run_is_ok():
    """`torch.stack(samples)` over the 3,000 tensors a loop made (most after it paused) gave each a node: a dataset
    built in a few lines, which plain Python runs in a fraction of a second, ended `limit` (`GraphLimit`; 10,000
    samples under the sandbox's limits). A call whose inputs without a node would take more than half of the room
    left is left out, as a loop's iterations are past half the room: its result is a node of its own."""
    run = run_snippet(DATASET_IN_A_LOOP, max_nodes=2000)
    check_output_and_error(run, DATASET_IN_A_LOOP)
    assert run["status"] == "ok" and run["recording_stopped"] is None, run["error"]
    assert run["recording_paused"]["type"] == "LoopPaused"
    assert len(run["forward"]["nodes"]) < 2000
    assert not any(node.get("op") == "stack" for node in run["forward"]["nodes"])
    plain = run_plain(DATASET_IN_A_LOOP).namespace
    assert values(last_node_named(run, "X")["value"]) == approx(plain["X"].flatten().tolist())


LONG_LIST_LEFT_BOUND = """
history = [torch.randn(4) for _ in range(3000)]
total = torch.stack(history[:10]).sum()
print(round(total.item(), 4))
"""


def test_a_long_list_left_bound_names_its_items_past_the_first_ones_only_where_the_graph_has_them():
    """As the snippet ended, each of the 3,000 tensors a top-level list held got a node (`history[2999]`): the run
    went past its graph limit as it ended, `limit` (`GraphLimit`) for code that ran in milliseconds. Past the first
    256 items (CONTAINER_SCAN_ITEMS), an item is named only if the graph has a node for it already."""
    run = run_snippet(LONG_LIST_LEFT_BOUND, max_nodes=2000)
    check_output_and_error(run, LONG_LIST_LEFT_BOUND)
    assert run["status"] == "ok" and run["recording_stopped"] is None, run["error"]
    plain = run_plain(LONG_LIST_LEFT_BOUND).namespace
    for i in (0, 9, 255):
        assert values(last_node_named(run, f"history[{i}]")["value"]) == approx(plain["history"][i].tolist())
    assert last_node_named(run, "history[256]") is None and last_node_named(run, "history[2999]") is None
    assert values(last_node_named(run, "total")["value"]) == approx([plain["total"].item()])
    whole = run_snippet(LONG_LIST_LEFT_BOUND)  # (with room for them all, the same: a graph of 3,000 lone nodes)
    assert last_node_named(whole, "history[255]") is not None and last_node_named(whole, "history[2999]") is None


CNN_STEPS = """
torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 26 * 26, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
X = torch.randn(64, 1, 28, 28)
y = torch.randint(0, 10, (64,))
for epoch in range(40):
    opt.zero_grad()
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    opt.step()
    if epoch % 10 == 0:
        print(epoch, round(loss.item(), 4))
with torch.no_grad():
    acc = (model(X).argmax(1) == y).float().mean()
print("acc", acc.item())
"""


def test_a_training_loop_that_takes_half_the_recording_time_pauses_and_the_code_after_it_is_recorded():
    """40 steps of a small CNN, fewer than GRADWALK_MAX_RECORDED_PASSES, used up GRADWALK_RECORD_CPU_S: the run ended
    `limit` (`RecordLimit`) after 31 passes and the evaluation after the loop was never recorded. At half the
    recording time the loop pauses after a pass, runs on unrecorded and the evaluation is recorded."""
    run = run_snippet(CNN_STEPS, record_cpu_s=0.6)
    check_output_and_error(run, CNN_STEPS)
    assert run["status"] == "ok" and run["recording_stopped"] is None, run["error"]
    paused = run["recording_paused"]
    assert paused["type"] == "LoopPaused" and "GRADWALK_RECORD_CPU_S" in paused["message"] and paused["line"] == 10
    assert run["backward_passes"] == 40 and 1 <= run["recorded_passes"] < 40
    plain = run_plain(CNN_STEPS).namespace
    assert values(last_node_named(run, "acc")["value"]) == approx([plain["acc"].item()])
    weight = last_node_named(run, "model.3.weight")["value"]
    assert values(weight)[:8] == approx(plain["model"][3].weight.flatten()[:8].tolist())


SLOW_IMPORT = """
import sys, traceback
sys.path.insert(0, {folder!r})
w = torch.ones(3, requires_grad=True)
y = (w * 2).sum()
import slow_to_import
try:
    import no_such_module_anywhere
except ImportError:
    traceback.print_exc(file=sys.stdout)
h = w * slow_to_import.SCALE
for _ in range(100):
    h = h * 1.01
loss = h.pow(2).sum()
loss.backward()
print(w.grad)
"""


def test_the_time_torch_takes_to_import_its_modules_is_no_recording_time(tmp_path):
    """A module's first import counts no recording time (GRADWALK_RECORD_CPU_S): an optimizer's first step loads
    torch._dynamo (1.2 s of CPU, a third of the default), where no worker loaded it before (`gradwalk capture`), and a
    6-layer transformer's 5 steps ended `limit` after one recorded pass. A module that takes 0.8 s to import, with 0.5 s
    to record: every op is recorded; an import that fails is reported as in plain Python."""
    (tmp_path / "slow_to_import.py").write_text(
        "import time\nstarted = time.process_time()\n"
        "while time.process_time() - started < 0.8:\n    pass\nSCALE = 3.0\n"
    )
    source = SLOW_IMPORT.format(folder=str(tmp_path))
    run = run_snippet(source, record_cpu_s=0.5)
    sys.modules.pop("slow_to_import", None)  # (the plain run imports it again)
    check_output_and_error(run, source)
    assert "no_such_module_anywhere" in run["stdout"]
    assert run["status"] == "ok" and run["recording_stopped"] is None, run["error"]
    assert check_against_torch(run, source) >= 3
    sys.modules.pop("slow_to_import", None)
    # a module that computes with torch as it loads is the snippet's recording at work: its time counts
    (tmp_path / "slow_to_import.py").write_text(
        "import time, torch\nstarted = time.process_time()\nt = torch.ones(1, requires_grad=True)\n"
        "while time.process_time() - started < 0.8:\n    t = t * 1.0\nSCALE = 3.0\n"
    )
    run = run_snippet(source, record_cpu_s=0.5)
    sys.modules.pop("slow_to_import", None)
    assert run["recording_stopped"] is not None and run["recording_stopped"]["type"] == "RecordLimit"


def test_a_loop_that_builds_one_graph_still_stops_at_the_limit_where_it_filled_it():
    """A chain built in a loop is one graph: pausing it would leave the backward pass after it running through
    nodes never recorded. It stops at the limit, in the loop, as before."""
    source = "x = torch.ones(1, requires_grad=True)\nfor _ in range(3000):\n    x = (x * 1.001).sin()\nx.backward()\n"
    run = run_snippet(source, max_nodes=500)
    assert run["status"] == "limit" and run["error"]["type"] == "GraphLimit" and run["error"]["line"] == 3
    assert run["recording_paused"] is None


RNN_OVER_INPUTS = """
torch.manual_seed(0)
cell = nn.RNNCell(3, 8)
seq = torch.randn(150, 1, 3)
h = torch.zeros(1, 8)
for t in range(seq.shape[0]):
    h = cell(seq[t], h)
loss = h.pow(2).sum()
loss.backward()
print(round(loss.item(), 4))
"""


def test_an_rnn_whose_inputs_need_no_gradient_builds_one_graph_and_does_not_pause():
    """`seq[t]` needs no gradient: at half the graph's room the loop paused there, though its steps are one graph
    the backward pass after it runs through. Its forward graph lost the steps after the pause (101 of 151 `h`)
    where all of it fitted. A loop whose bound tensors hold a graph no backward pass ran, an eighth of the run's
    nodes or more, is not paused: every step is recorded, as before the loop pause."""
    run = run_snippet(RNN_OVER_INPUTS, max_nodes=2000)
    check_output_and_error(run, RNN_OVER_INPUTS)
    assert run["status"] == "ok" and run["recording_paused"] is None
    assert len([n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == "h"]) == 151
    assert check_against_torch(run, RNN_OVER_INPUTS) >= 1
    longer = RNN_OVER_INPUTS.replace("150", "400")  # (too long to fit: it stops in the loop, as before)
    run = run_snippet(longer, max_nodes=2000)
    assert run["status"] == "limit" and run["error"]["type"] == "GraphLimit" and run["error"]["line"] == 7
    assert run["recording_paused"] is None


BOUND_BEFORE_THE_LOOP = """w = torch.ones(3, requires_grad=True)
a = w * 2
b = a + 1
c = b * b
d = c - 1
e = d * 3
f = e.sum()
f.backward()
x = torch.ones(3)
for i in range(50):
    y = (w * x).sum()
print(y.item())
"""


def test_a_loop_pause_says_the_line_it_paused_on_not_where_a_tensor_recorded_then_was_bound():
    """The pause came as the loop's first op recorded `x`, bound on line 9 before the loop: `recording_paused` said
    line 9 (the page: 'its recording paused at line 9'), a line outside every loop. It says the loop's line, 11."""
    run = run_snippet(BOUND_BEFORE_THE_LOOP, max_nodes=30)
    check_output_and_error(run, BOUND_BEFORE_THE_LOOP)
    assert run["status"] == "ok" and run["recording_paused"]["line"] == 11


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).parent / "realworld").glob("loop_pause_*.py")))
def test_realworld_loops_pause_under_the_sandboxs_graph_limit_and_match_torch(name):
    """tests/realworld/loop_pause_*.py, under the node limit a sandboxed run has by default (as many nodes as a Run of
    GRADWALK_MAX_RESULT_BYTES holds, 64 values each: 33678), pause in their loop and still print, end and leave
    bound what plain torch does (test_realworld runs them under limits that record all of them)."""
    source = (Path(__file__).parent / "realworld" / name).read_text(encoding="utf-8")
    limits = {**LIMITS, "max_nodes": 33678, "max_recorded_passes": 100}
    run = run_snippet(source, **limits)
    check_output_and_error(run, source)
    assert run["recording_paused"] is not None and run["recording_paused"]["type"] == "LoopPaused"
    assert check_against_torch(run, source) >= 1


def test_a_paused_loop_looks_once_per_call_of_the_snippets_line_whether_the_recording_resumes(monkeypatch):
    """While paused, each torch call asked whether it is the code after the loop, walking the snippet's frames and
    its loops again: an optimizer's step makes dozens of calls from one line, and the paused loop ran twice as slow
    as plain torch, a quarter of it that look. The calls of one line, with no backward pass since, share one look;
    the recording still resumes after the loop (the previous test)."""
    from app.capture.record import Recorder

    looks = []
    after_loop = Recorder._after_loop
    monkeypatch.setattr(Recorder, "_after_loop", lambda self, caller: looks.append(1) or after_loop(self, caller))
    source = LONG_LOOP.replace("torch.optim.SGD(model.parameters(), lr=1.0)", "torch.optim.Adam(model.parameters())")
    run = run_snippet(source, max_recorded_passes=20)
    check_output_and_error(run, source)
    assert run["recorded_passes"] == 21 and run["backward_passes"] == 300
    assert len(looks) < 8 * 280  # (a few lines a step, where each call was looked at: 20 and more a step)


PAUSED_STEP = (
    "    opt.zero_grad()\n    pred = model(x)\n    loss = F.mse_loss(pred, y)\n    loss.backward()\n    opt.step()\n"
)
PAUSED_START = (
    "torch.manual_seed(0)\nmodel = nn.Linear(3, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
    "x = torch.randn(8, 3)\ny = torch.randn(8, 1)\n"
)


@pytest.mark.parametrize(
    "source",
    [
        PAUSED_START + "for step in range(12):\n" + PAUSED_STEP,
        PAUSED_START
        + "steps = 6\nfor epoch in range(1, steps + 1):\n    for k in range(len(x) // 4):\n"
        + PAUSED_STEP.replace("    ", "        "),
        PAUSED_START
        + "def train(n):\n    for step in range(n):\n"
        + PAUSED_STEP.replace("    ", "        ")
        + "    return pred, loss\npred, loss = train(12)\n",
        PAUSED_START
        + "batches = [(x[:4] * k, y[:4]) for k in range(12)]\nfor xb, yb in batches:\n    batch = xb\n"
        + PAUSED_STEP,
        PAUSED_START
        + "batches = [(x[:4], y[:4]), (x[4:], y[4:])] * 6\nfor xb, yb in batches:\n    batch = xb\n"
        + PAUSED_STEP,
        PAUSED_START + "rates = [0.1, 0.05, 0.01, 0.02, 0.03, 0.04, 0.06]\nfor rate in rates:\n" + PAUSED_STEP,
        PAUSED_START
        + "batches = [(x[:4], y[:4]), (x[4:], y[4:])] * 6\nfor i, (xb, yb) in enumerate(batches):\n"
        + PAUSED_STEP,
        PAUSED_START + "for step, t in enumerate(range(3, 15), 1):\n" + PAUSED_STEP,
        PAUSED_START + "seq = torch.randn(12, 2)\nfor t in range(seq.shape[0]):\n" + PAUSED_STEP,
        PAUSED_START + "seq = torch.randn(12, 2)\nfor t in range(1, seq.size(0) - 1):\n" + PAUSED_STEP,
        PAUSED_START
        + "import argparse\nargs = argparse.Namespace(epochs=12)\nfor epoch in range(args.epochs):\n"
        + PAUSED_STEP,
        PAUSED_START
        + "class Config:\n    steps = 12\ncfg = {'train': Config()}\nfor s in range(cfg['train'].steps):\n"
        + PAUSED_STEP,
        PAUSED_START
        + "plan = {'batches': [x[:4] * k for k in range(12)]}\nfor batch in plan['batches']:\n"
        + PAUSED_STEP,
        PAUSED_START
        + "from torch.utils.data import DataLoader, TensorDataset, random_split\n"
        + "train, _ = random_split(TensorDataset(x, y), [7, 1])\n"
        + "loader = DataLoader(train, batch_size=3, shuffle=True)\n"
        + "for epoch in range(5):\n    for i, (xb, yb) in enumerate(loader):\n"
        + PAUSED_STEP.replace("    ", "        "),
        PAUSED_START
        + "from torch.utils.data import DataLoader, TensorDataset\n"
        + "loader = DataLoader(TensorDataset(x, y), batch_size=3, shuffle=True, drop_last=True)\n"
        + "for epoch in range(5):\n    for xb, yb in loader:\n"
        + PAUSED_STEP.replace("    ", "        ").replace("model(x)", "model(xb)").replace(", y)", ", yb)"),
        PAUSED_START
        + "from torch.utils.data import DataLoader, Dataset\nclass Pairs(Dataset):\n"
        + "    def __init__(self, x, y):\n        self.x, self.y = x, y\n"
        + "    def __len__(self):\n        return len(self.x)\n"
        + "    def __getitem__(self, i):\n        return self.x[i], self.y[i]\n"
        + "loader = DataLoader(Pairs(x, y), batch_size=3, shuffle=True)\n"
        + "for epoch in range(4):\n    for xb, yb in loader:\n"
        + PAUSED_STEP.replace("    ", "        ").replace("model(x)", "model(xb)").replace(", y)", ", yb)"),
        PAUSED_START
        + "import numpy as np\nfrom torch.utils.data import DataLoader, Dataset, random_split\n"
        + "class Arrays(Dataset):\n    def __init__(self, n):\n        self.a = np.ones((n, 3), dtype=np.float32)\n"
        + "    def __len__(self):\n        'how many'\n        return self.a.shape[0]\n"
        + "    def __getitem__(self, i):\n        return torch.from_numpy(self.a[i]), torch.ones(1)\n"
        + "train, _ = random_split(Arrays(10), [8, 2])\n"
        + "loader = DataLoader(train, batch_size=3, shuffle=True, drop_last=True)\n"
        + "for epoch in range(5):\n    for i, (xb, yb) in enumerate(loader):\n"
        + PAUSED_STEP.replace("    ", "        ").replace("model(x)", "model(xb)").replace(", y)", ", yb)"),
        PAUSED_START
        + "from torch.utils.data import DataLoader\n"
        + "loader = DataLoader(list(zip(x, y)), batch_size=3, shuffle=True)\n"
        + "for epoch in range(4):\n    for xb, yb in loader:\n"
        + PAUSED_STEP.replace("    ", "        ").replace("model(x)", "model(xb)").replace(", y)", ", yb)"),
        PAUSED_START
        + "xs = [x * k for k in range(12)]\nys = [y + k for k in range(12)]\nfor xb, yb in zip(xs, ys):\n"
        + PAUSED_STEP.replace("model(x)", "model(xb)"),
        PAUSED_START
        + "xs = [x * k for k in range(12)]\nfor step, (xb, k) in enumerate(zip(xs, range(12)), start=1):\n"
        + PAUSED_STEP.replace("model(x)", "model(xb)"),
        PAUSED_START + "from tqdm import tqdm\nfor step in tqdm(range(12), desc='train'):\n" + PAUSED_STEP,
        PAUSED_START + "import tqdm.auto\nfor step in tqdm.auto.trange(1, 13, disable=True):\n" + PAUSED_STEP,
        PAUSED_START
        + "from tqdm import tqdm\nfrom torch.utils.data import DataLoader, TensorDataset\n"
        + "loader = DataLoader(TensorDataset(x, y), batch_size=3, shuffle=True)\n"
        + "for epoch in range(4):\n    for i, (xb, yb) in enumerate(tqdm(loader, leave=False)):\n"
        + PAUSED_STEP.replace("    ", "        ").replace("model(x)", "model(xb)").replace(", y)", ", yb)"),
        PAUSED_START
        + "for name, rate in [('a', 0.1), ('b', 0.05), ('c', 0.01)]:\n    for k in range(4):\n"
        + PAUSED_STEP.replace("    ", "        "),
        PAUSED_START
        + "for rate in [0.1, 0.05, 0.1]:\n    for k in range(4):\n"
        + PAUSED_STEP.replace("    ", "        "),
        PAUSED_START + "from tqdm import tqdm\npbar = tqdm(range(12), disable=True)\nfor step in pbar:\n" + PAUSED_STEP,
        PAUSED_START + "steps = range(2, 14)\nfor step in steps:\n" + PAUSED_STEP,
    ],
    ids=[
        "range",
        "nested-ranges",
        "in-a-function",
        "list-of-tuples",
        "repeated-items",
        "list",
        "enumerate",
        "counted",
        "shape",
        "size",
        "namespace",
        "config",
        "dict-item",
        "dataloader",
        "dataloader-batches",
        "own-dataset",
        "own-dataset-numpy-split",
        "list-dataset",
        "zip",
        "enumerate-zip-start",
        "tqdm",
        "tqdm-trange",
        "tqdm-dataloader",
        "written-list",
        "written-list-repeated",
        "tqdm-bar-bound",
        "range-bound",
    ],
)
def test_a_paused_loops_last_iteration_is_recorded_as_torch_ran_it(source):
    """`for t in range(2000)` past max_recorded_passes: the loop's last iteration is recorded again, so what it
    leaves bound (`pred`, `loss`) has its graph, values and gradients as torch has them at the end (they had no
    graph, and no gradient). Known for loops over ranges of numbers the code holds and over lists, bound to a name or
    a short path from one (`args.epochs`, `cfg['train'].steps`, `seq.shape[0]`, `seq.size(0)`), over `zip` of such
    lists, over a DataLoader of a TensorDataset (its batches counted by torch) or of a Dataset of the snippet's own
    whose `__len__` only returns such a length (`return len(self.x)`: it showed no graph), over a list written out in
    the loop's header, and over any of these through tqdm's progress bar (`tqdm(loader)`, `trange(n)`)."""
    run = run_snippet(source, max_recorded_passes=3)
    check_output_and_error(run, source)
    if ("* 6" in source and "enumerate" not in source) or "0.1]" in source:  # (the same pairs again and again, or
        # a rate written twice: where the list ends is not known, the last pass not drawn; enumerate counts them)
        assert run["recorded_passes"] == 3
        return
    assert check_against_torch(run, source) >= 4  # (pred's and loss's graphs and gradients among what it compares)
    assert run["recorded_passes"] == 4
    assert run["backward_passes"] in {node["backward_pass"] for node in run["backward"]["nodes"]}


def test_the_tensors_a_paused_loop_of_unknown_length_leaves_bound_show_what_flowed_into_them_in_its_last_pass():
    """A `while` loop past max_recorded_passes (how many passes it runs is not known before it ends): `pred` and
    `loss` of its last pass show the gradient that flowed into them then, as torch's hooks see it (they showed none),
    on their own lines; in a function's loop too."""
    loop = "while step < 12:\n    step += 1\n" + PAUSED_STEP
    top = PAUSED_START + "step = 0\n" + loop
    inside = PAUSED_START + "def train():\n    step = 0\n" + loop.replace("\n", "\n    ").replace("while", "    while")
    inside = inside.rstrip(" ") + "    return pred, loss\npred, loss = train()\n"
    for source in (top, inside):
        run = run_snippet(source, max_recorded_passes=3)
        assert run["recorded_passes"] == 3
        plain = run_plain(source)
        for name in ("pred", "loss"):
            tensor = plain.namespace[name]
            received = plain.received[(tensor.grad_fn, tensor.output_nr)]
            assert flat(last_node_named(run, name)["grad"]["data"]) == approx(received.flatten().tolist()), name
        pred, loss = last_node_named(run, "pred"), last_node_named(run, "loss")
        if source is top:
            assert (pred["line"], loss["line"]) == (10, 11)


@pytest.mark.parametrize(
    "source",
    [
        PAUSED_START + "step = 0\nwhile step < 12:\n    step += 1\n" + PAUSED_STEP,
        PAUSED_START
        + "for step in range(1000):\n"
        + PAUSED_STEP
        + "    if loss.item() < 1e-9 or step == 11:\n        break\n",
        PAUSED_START
        + "def batches():\n    for k in range(12):\n        yield x * (k % 3), y\n"
        + "for xb, yb in batches():\n"
        + PAUSED_STEP.replace("model(x)", "model(xb)").replace(", y)", ", yb)"),
        PAUSED_START
        + "import itertools\nfor step in itertools.count():\n"
        + PAUSED_STEP
        + "    if step == 11:\n        break\n",
    ],
    ids=["while", "early-stop-break", "generator", "itertools-count"],
)
def test_the_tensors_a_paused_loop_of_unknown_length_leaves_bound_keep_their_graph(source):
    """A loop past max_recorded_passes whose last iteration is not known before it ends (a `while`, an early stop's
    `break`, a generator's batches, `itertools.count()`): what its last pass left bound (`pred`, `loss`) kept no
    grad_fn, and no graph under it. Its graph is walked as the snippet ends, as torch holds it: nodes that ran in a
    pass not recorded (no order), whose formulas still read what torch keeps once it freed the saved tensors (the
    power's exponent: `(pred - y)²`, not `u`)."""
    run = run_snippet(source, max_recorded_passes=3)
    check_output_and_error(run, source)
    assert run["recorded_passes"] == 3
    assert check_against_torch(run, source) >= 4  # (pred's and loss's graphs and gradients among what it compares)
    loss = last_node_named(run, "loss")
    root = next(n for n in run["backward"]["nodes"] if n["id"] == loss["grad_fn"])
    assert root["order"] is None and root["name"] == "MseLossBackward0"
    unrun = [n for n in run["backward"]["nodes"] if n["order"] is None and n["explain"] is not None]
    assert unrun and all("?" not in n["explain"]["words"]["en"].split(".")[0] for n in unrun)


def test_a_graph_met_after_backward_freed_it_is_explained_with_what_torch_keeps():
    """A node whose saved tensors backward freed before gradwalk first met it keeps its plain saved values: a power's
    exponent (`f = u²`, not `f = u`, times 2·u, not 1)."""
    source = (
        "x = torch.tensor([2.0], requires_grad=True)\nstep = 0\nwhile step < 6:\n    step += 1\n"
        "    f = (x - 5) ** 2\n    f.backward()\n"
    )
    run = run_snippet(source, max_recorded_passes=2)
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 2
    f = last_node_named(run, "f")
    power = next(n for n in run["backward"]["nodes"] if n["id"] == f["grad_fn"])
    assert power["order"] is None and power["name"] == "PowBackward0"
    assert "²" in power["explain"]["words"]["en"] and "times 2" in power["explain"]["words"]["en"], power["explain"]
    assert [s["repr"] for s in power["saved"] if s["name"] == "exponent"] == ["2"]


def test_the_tensors_a_paused_loop_of_unknown_length_leaves_in_a_list_or_an_object_show_what_flowed_into_them():
    """The same, for what the loop's last pass left one step from a name (`losses[0]` of a multi-task loop, an
    object's `state.pred`), as the Run names them: each showed no gradient."""
    source = (
        PAUSED_START
        + "class State:\n    pass\nstate = State()\nstep = 0\nwhile step < 12:\n    step += 1\n"
        + "    state.pred = model(x)\n    losses = [F.mse_loss(state.pred, y), state.pred.abs().mean()]\n"
        + "    total = sum(losses)\n    opt.zero_grad()\n    total.backward()\n    opt.step()\n"
    )
    run = run_snippet(source, max_recorded_passes=3)
    assert run["recorded_passes"] == 3
    plain = run_plain(source)
    for name, tensor in (("losses[0]", plain.namespace["losses"][0]), ("state.pred", plain.namespace["state"].pred)):
        received = plain.received[(tensor.grad_fn, tensor.output_nr)]
        assert flat(last_node_named(run, name)["grad"]["data"]) == approx(received.flatten().tolist()), name


LONG_PAUSED_END = """
import time
model = nn.Sequential(*[nn.Linear(4, 4) for _ in range(40)])
opt = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.randn(8, 4)
start = time.process_time()
while time.process_time() - start < 0.6:
    loss = model(x).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    weight = model[0].weight.tolist()
print(weight)
"""


def test_a_paused_loop_that_ends_the_snippet_runs_longer_than_the_recording_time_left_and_ends_ok():
    """A training loop at a snippet's end (a `while`: its last iteration is not recorded again) paused, then ran
    unrecorded for longer than the recording time it had left: as the snippet ended, its model's 80 parameters got
    their nodes against the recording's deadline as it was when the loop paused, and a run that had ended well was
    `limit` (`RecordLimit`, on the line that made the parameters; a 30-layer MLP's 100 steps were). Time paused is no
    recording time, as when the code after a loop resumes the recording."""
    run = run_snippet(LONG_PAUSED_END, record_cpu_s=0.5, max_recorded_passes=2)
    assert run["status"] == "ok" and run["recording_stopped"] is None, run["error"]
    assert run["recorded_passes"] == 2 and run["backward_passes"] > 2
    printed = flat(orjson.loads(run["stdout"]))
    assert values(last_node_named(run, "model.0.weight")["value"]) == approx(printed)


IN_FUNCTIONS = """
def train_epoch(model, optimizer, steps):
    losses = []
    for step in range(steps):
        optimizer.zero_grad()
        cost = F.mse_loss(model(X), Y)
        cost.backward()
        optimizer.step()
        losses.append(cost.detach())
    return torch.stack(losses).mean()

def main():
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    for epoch in range(6):
        mean = train_epoch(model, optimizer, 15)
        print(epoch, round(mean.item(), 4))
    scores = model(X)
    return scores, model

X = torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = torch.tensor([[1.0], [1.0], [0.0]])
if __name__ == "__main__":
    final, trained = main()
"""


def test_a_loop_inside_functions_resumes_with_the_code_after_it_in_its_function():
    """A training loop in `main()` (an epoch loop around a function with a loop of its own) pauses as at the top
    level and resumes with the first call outside every loop the pause came in: code between the loops' lines (the
    epoch's mean, its print) does not resume it, and the evaluation after the epoch loop is recorded."""
    run = run_snippet(IN_FUNCTIONS, max_recorded_passes=20)
    check_output_and_error(run, IN_FUNCTIONS)
    assert run["backward_passes"] == 90 and run["recorded_passes"] == 21  # (the first 20, and the last epoch's last)
    assert {node["backward_pass"] for node in run["backward"]["nodes"]} == {*range(1, 21), 90, None}  # (the scores')
    plain = run_plain(IN_FUNCTIONS, note_gradients=False).namespace
    scores = [node for node in run["forward"]["nodes"] if node["kind"] == "tensor" and node["line"] == 19]
    assert scores and values(scores[-1]["value"]) == approx(plain["final"].flatten().tolist())
    assert values(last_node_named(run, "trained.2.weight")["value"]) == approx(
        plain["trained"][2].weight.flatten().tolist()
    )


@pytest.mark.parametrize(
    "loop",
    [
        "list(map(step, range(30)))",
        "def train(n):\n    if n:\n        step(n)\n        train(n - 1)\ntrain(30)",
        "worker = threading.Thread(target=lambda: [step(i) for i in range(30)])\nworker.start()\nworker.join()",
        "optimizer = torch.optim.LBFGS([w], lr=0.1, max_iter=30, tolerance_grad=0, tolerance_change=0)\n"
        "optimizer.step(lambda: step(1))",
        "def closure():\n    loss = step(1)\n    return loss * 1\n"
        "optimizer = torch.optim.LBFGS([w], lr=0.1, max_iter=30, tolerance_grad=0, tolerance_change=0)\n"
        "optimizer.step(closure)",
    ],
    ids=["map", "recursion", "thread", "lbfgs", "lbfgs-closure-after-backward"],
)
def test_a_loop_no_line_of_the_snippet_runs_resumes_once_the_call_that_runs_it_returns(loop):
    """The backward passes run by `map`, a recursion, a thread or an optimizer's step that calls the closure, in no
    loop of the snippet's own: the pause held for only one call (each pass recorded, a big one stopped at the
    limit), or, with a thread, the code after it was never recorded. The closure's own code after its backward call
    is still the loop."""
    source = (
        "import threading\n"
        "w = torch.tensor([1.0, -2.0], requires_grad=True)\n"
        "def step(i):\n"
        "    loss = ((w - 3) ** 4 * i).sum()\n"
        "    loss.backward()\n"
        "    return loss\n"
        f"{loop}\n"
        "after = w * 3\n"
    )
    run = run_snippet(source, max_recorded_passes=5)
    check_output_and_error(run, source)
    assert run["backward_passes"] >= 10 and run["recorded_passes"] == 5
    after = last_node_named(run, "after")
    assert after["grad_fn"] is not None
    assert values(after["value"]) == approx(run_plain(source, note_gradients=False).namespace["after"].tolist())


def test_a_view_kept_past_a_pause_keeps_its_value_while_its_base_is_trained():
    """Views of a parameter made in the last recorded pass that no name holds (`W.t()`, `W.t()[1]`) are held by
    gradwalk alone but share the parameter's memory: the steps run unrecorded after the pause changed them, and they
    read as unreadable. They are copied at the pause."""
    source = (
        "torch.manual_seed(0)\n"
        "W = torch.randn(3, 2, requires_grad=True)\n"
        "x = torch.randn(5, 3)\n"
        "opt = torch.optim.SGD([W], lr=0.1)\n"
        "before = []\n"
        "for step in range(30):\n"
        "    before.append(W.detach()[:, 0].clone())\n"
        "    first = W[:, 0]\n"
        "    loss = ((x @ first) ** 2).mean() + W.t()[1].sum()\n"
        "    opt.zero_grad()\n"
        "    loss.backward()\n"
        "    opt.step()\n"
    )
    run = run_snippet(source, max_recorded_passes=5)
    assert run["recorded_passes"] == 6  # (the first five, and the last)
    plain = run_plain(source, note_gradients=False).namespace
    firsts = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == "first" and n["line"] == 8]
    assert len(firsts) == 6  # (the five recorded passes', then the last one's)
    for step, node in zip([0, 1, 2, 3, 4, 29], firsts, strict=True):
        assert values(node["value"]) == approx(plain["before"][step].tolist()), (step, node["value"])
    assert values(last_node_named(run, "first")["value"]) == approx(plain["first"].tolist())  # (W's step after it)
    unread = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["value"].get("unreadable")]
    assert not unread, unread  # (`W.t()` and `W.t()[1]`, which no name holds)


def test_a_backward_right_after_a_paused_loop_is_recorded_with_the_graph_made_in_the_loop():
    """A loop past max_recorded_passes ran on unrecorded; `loss.backward()` right after it, on the last pass's graph,
    was taken for one more pass of the loop and not drawn, and `h.sum().backward()` drew its SumBackward0 without the
    edge into h's node (made while paused). The last pass's tensors were placed on the loop's backward line. Both
    passes after the loop are recorded now, through the graph the loop made, and its tensors are on their lines."""
    source = (
        "w = torch.tensor([0.5, -0.3], requires_grad=True)\n"
        "x = torch.tensor([1.0, 2.0])\n"
        "for i in range(12):\n"
        "    h = torch.tanh(w * x)\n"
        "    loss = (h.sum() - 0.2) ** 2\n"
        "    loss.backward(retain_graph=True)\n"
        "    with torch.no_grad():\n"
        "        w -= 0.05 * w.grad\n"
        "    w.grad = None\n"
        "loss.backward(retain_graph=True)\n"
        "print(w.grad)\n"
        "h.sum().backward()\n"
        "print(w.grad)\n"
    )
    run = run_snippet(source, max_recorded_passes=5)
    check_output_and_error(run, source)
    assert run["backward_passes"] == 14 and run["recorded_passes"] == 8  # (the loop's first 5 and last, 2 after)
    check_consistency(run)
    last = {n["var"]: n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] in ("h", "loss")}
    assert (last["h"]["line"], last["loss"]["line"]) == (4, 5)  # (the last of each: the loop's last pass's)
    assert last["h"]["grad_fn"] is not None and last["loss"]["grad_fn"] is not None
    assert check_against_torch(run, source) >= 3
    backward = {n["id"]: n for n in run["backward"]["nodes"]}
    late = [n for n in run["backward"]["nodes"] if n["name"] == "SumBackward0" and n["order"] == 0]
    assert late and all(any(e["source"] == n["id"] for e in run["backward"]["edges"]) for n in late)
    assert backward[last["loss"]["grad_fn"]]["order"] == 0


def test_a_write_through_numpy_leaves_the_values_recorded_before_it():
    """A numpy array shares the tensor's memory: writing through it moves no version, so gradwalk copies what it
    kept of the tensor when the array is handed out; `increment_version` after such a write changes nothing shown."""
    source = (
        "w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)\n"
        "x = torch.tensor([4.0, 5.0, 6.0])\n"
        "y = w * x\n"
        "x.numpy()[:] = [7.0, 8.0, 9.0]\n"
        "torch.autograd.graph.increment_version(x)\n"
        "z = w * x\n"
        "buf = torch.zeros(3)\n"
        "out = (w * buf).sum()\n"
        "arr = buf.detach().numpy()\n"
        "arr += 1\n"
    )
    run = run_snippet(source)
    shown = {(n["var"], n["line"]): values(n["value"]) for n in run["forward"]["nodes"] if n["kind"] == "tensor"}
    assert shown[("x", 2)] == [4.0, 5.0, 6.0] and shown[("y", 3)] == [4.0, -10.0, 18.0]
    assert shown[("z", 6)] == [7.0, -16.0, 27.0]
    assert shown[("buf", 7)] == [0.0, 0.0, 0.0]


def test_memory_shared_with_numpy_shows_each_value_as_it_was_when_used_however_often_numpy_writes_it():
    """An array handed out once (`.numpy()`) or lent to torch (`torch.from_numpy`, `torch.as_tensor`,
    `torch.frombuffer`) may be written through numpy at any time, moving no version: each use shows the values of
    that moment, and a tensor used again unchanged is the same node (a dataset sliced in a loop)."""
    source = (
        "import numpy as np\n"
        "w = torch.ones(3)\n"
        "a = w.numpy()\n"
        "y1 = w * 2\n"
        "a[0] = 5\n"
        "y2 = w * 2\n"
        "b = np.zeros(3, dtype=np.float32)\n"
        "t = torch.as_tensor(b)\n"
        "u1 = t + 1\n"
        "b[1] = 7\n"
        "u2 = t[1:] + 1\n"
        "raw = bytearray(8)\n"
        "f = torch.frombuffer(raw, dtype=torch.float32)\n"
        "v1 = f * 3\n"
        "raw[3] = 63\n"  # (the float32 0.5)
        "v2 = f * 3\n"
        "data = np.arange(6000, dtype=np.float32)\n"
        "X = torch.from_numpy(data)\n"
        "parts = [X[i * 10:(i + 1) * 10].sum() for i in range(3)]\n"
        "data[0] = -1\n"
        "last = X[:10].sum()\n"
    )
    run = run_snippet(source)
    tensors = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor"]
    shown = {(n["var"], n["line"]): values(n["value"]) for n in tensors}
    assert shown[("w", 2)] == [1.0, 1.0, 1.0] and shown[("w", 6)] == [5.0, 1.0, 1.0]
    assert shown[("y1", 4)] == [2.0, 2.0, 2.0] and shown[("y2", 6)] == [10.0, 2.0, 2.0]
    assert shown[("t", 8)] == [0.0, 0.0, 0.0] and shown[("t", 11)] == [0.0, 7.0, 0.0]
    assert shown[("f", 13)] == [0.0, 0.0] and shown[("f", 16)] == [0.5, 0.0]
    assert shown[("v1", 14)] == [0.0, 0.0] and shown[("v2", 16)] == [1.5, 0.0]
    assert [n["value"]["data"][:2] for n in tensors if n["var"] == "X"] == [[0.0, 1.0], [-1.0, 1.0]]
    assert shown[("last", 21)] == [sum(range(1, 10)) - 1]


def test_a_paused_loop_draws_no_graph_of_its_unrecorded_passes_and_counts_every_pass():
    """Past the recorded passes: a sum carried across the loop does not pull the unrecorded passes' graphs in (they
    would show as never run), a graph recorded before the pause that backward runs after it is recorded with its
    pass, and a backward call a tensor hook makes is counted as plain torch counts it."""
    source = (
        "w = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "v = torch.tensor([0.5], requires_grad=True)\n"
        "def hook(g):\n"
        "    with torch.enable_grad():\n"
        "        (v * 2).sum().backward()\n"
        "    return g\n"
        "total = 0\n"
        "for i in range(40):\n"
        "    l1 = (w ** 2).sum()\n"
        "    l2 = (v * w).sum()\n"
        "    l1.backward()\n"
        "    l2.backward()\n"
        "    h = w * 3\n"
        "    h.register_hook(hook)\n"
        "    h.sum().backward()\n"
        "    total += l1\n"
        "print(round(total.item(), 3), w.grad, v.grad)\n"
    )
    run = run_snippet(source, max_recorded_passes=9)
    check_output_and_error(run, source)
    assert run["backward_passes"] == 160 and run["status"] == "ok"
    ran = [n for n in run["backward"]["nodes"] if n["order"] is not None]
    never = [n for n in run["backward"]["nodes"] if n["order"] is None]
    assert {n["name"] for n in never} <= {"AddBackward0"}, never  # (only `total`'s sums: backward never ran on them)
    assert len(never) <= 5 and len(ran) < 60, (len(never), len(ran))
    assert values(last_node_named(run, "total")["value"]) == approx([float(sum(5.0 for _ in range(40)))])


def forward_ops(run: dict) -> list[dict]:
    return [n for n in run["forward"]["nodes"] if n["kind"] == "op"]


def op_edges(run: dict, op: dict) -> tuple[list[dict], list[dict]]:
    """(the tensor nodes into `op`, those out of it)."""
    nodes = {n["id"]: n for n in run["forward"]["nodes"]}
    edges = run["forward"]["edges"]
    return (
        [nodes[e["source"]] for e in edges if e["target"] == op["id"]],
        [nodes[e["target"]] for e in edges if e["source"] == op["id"]],
    )


@pytest.mark.parametrize(
    "optimizer",
    [
        "Adam(model.parameters(), lr=0.1)",
        "SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=0.01)",
        "AdamW(model.parameters(), foreach=True)",
        "Adam(model.parameters(), lr=0.1, fused=True)",
    ],
)
def test_an_optimizer_step_is_one_op_from_the_parameters_and_their_grads_to_their_next_nodes(optimizer):
    """Adam's step ran 8 ops per parameter (`lerp_`, `addcmul_`, `sqrt`...), each a node, and its state made with
    `zeros_like` was drawn as a cut: a 3-step loop on one layer drew 114 forward nodes, 83 of them Adam's. Now the
    step is one op, `Adam.step`, from each parameter and its `.grad` to the parameter's next node, with torch's
    values."""
    source = (
        "torch.manual_seed(0)\n"
        "model = nn.Linear(3, 1)\n"
        f"opt = torch.optim.{optimizer}\n"
        "x, y = torch.randn(4, 3), torch.randn(4, 1)\n"
        "weights = []\n"
        "for step in range(3):\n"
        "    opt.zero_grad()\n"
        "    loss = F.mse_loss(model(x), y)\n"
        "    loss.backward()\n"
        "    opt.step()\n"
        "    weights.append(model.weight.detach().clone())\n"
    )
    run = run_snippet(source)
    check_output_and_error(run, source)
    check_against_torch(run, source)
    name = optimizer.split("(")[0]
    ops = [n for n in forward_ops(run) if n["op"] not in ("detach", "clone")]
    assert [(n["op"], n["line"]) for n in ops] == [("linear", 8), ("mse_loss", 8), (f"{name}.step", 10)] * 3
    plain = run_plain(source, note_gradients=False).namespace
    for index, step in enumerate(n for n in ops if n["op"].endswith(".step")):
        assert step["no_grad"] and not step["cut"]
        into, out = op_edges(run, step)
        assert sorted(n.get("expr") or n["var"] for n in into) == sorted(
            ["model.weight", "model.bias", "model.weight.grad", "model.bias.grad"]
        )
        assert sorted(n["var"] for n in out) == ["model.bias", "model.weight"]
        weight = next(n for n in out if n["var"] == "model.weight")
        assert flat(values(weight["value"])) == approx(flat(plain["weights"][index].tolist()))


def test_lbfgs_draws_its_closure_and_one_step_op_per_iteration_between_its_calls():
    """LBFGS runs the snippet's closure inside its step: the closure's ops are recorded, and what the step changed
    between two calls of it is one `LBFGS.step` op, whose output is the parameter the next call reads (300
    iterations on a small MLP drew 21,002 forward nodes, 16,000 of them LBFGS's own ops)."""
    source = (
        "w = torch.tensor([1.0, -2.0], requires_grad=True)\n"
        "opt = torch.optim.LBFGS([w], lr=0.5, max_iter=4, tolerance_grad=0, tolerance_change=0)\n"
        "def closure():\n"
        "    opt.zero_grad()\n"
        "    loss = ((w - 3) ** 2).sum()\n"
        "    loss.backward()\n"
        "    return loss\n"
        "opt.step(closure)\n"
        "print(w)\n"
    )
    run = run_snippet(source)
    check_output_and_error(run, source)
    check_against_torch(run, source)
    ops = forward_ops(run)
    assert {n["op"] for n in ops} == {"sub", "pow", "sum", "LBFGS.step"}
    steps = [n for n in ops if n["op"] == "LBFGS.step"]
    assert len(steps) == run["backward_passes"] == 4 and {n["line"] for n in steps} == {8}
    for step in steps[:-1]:  # each step's new w is what the closure's next call subtracts 3 from (none after the last)
        _, (w,) = op_edges(run, step)
        sub = next(op for op in ops if op["op"] == "sub" and w["id"] in [n["id"] for n in op_edges(run, op)[0]])
        assert sub["line"] == 5
    assert values(last_node_named(run, "w")["value"]) == approx(run_plain(source).namespace["w"].tolist())


def test_a_step_the_snippet_wrote_is_recorded_op_by_op_and_a_step_that_raised_ends_there():
    """The snippet's own optimizer (a subclass with its own `step`) is its code: its ops are nodes as any other.
    A step that raised (its closure did) is over: the no_grad ops the snippet runs after catching it are recorded."""
    source = (
        "class Plain(torch.optim.Optimizer):\n"
        "    def __init__(self, params):\n"
        "        super().__init__(params, {'lr': 0.1})\n"
        "    @torch.no_grad()\n"
        "    def step(self, closure=None):\n"
        "        for group in self.param_groups:\n"
        "            for p in group['params']:\n"
        "                p.sub_(group['lr'] * p.grad)\n"
        "w = torch.tensor([1.0, -2.0], requires_grad=True)\n"
        "(w * w).sum().backward()\n"
        "Plain([w]).step()\n"
        "def closure():\n"
        "    raise ValueError('no loss')\n"
        "try:\n"
        "    torch.optim.LBFGS([w]).step(closure)\n"
        "except ValueError:\n"
        "    with torch.no_grad():\n"
        "        w.mul_(2)\n"
    )
    run = run_snippet(source)
    check_output_and_error(run, source)
    check_against_torch(run, source)
    assert [(n["op"], n["line"]) for n in forward_ops(run)] == [
        ("mul", 10),
        ("sum", 10),
        ("sub_", 8),
        ("mul_", 18),
    ]


def test_after_a_pause_a_tensor_made_before_shows_the_last_pass_gradient_on_its_one_node():
    """`h` is made once, then 150 passes run through it (retain_graph): it showed the gradient of pass 100, the last
    recorded, and `x` and `h`, unchanged, got a second node each on the `backward` line when the recording
    resumed (the pause's copies read as changes)."""
    source = (
        "x = torch.ones(3, requires_grad=True)\n"
        "h = x * 2\n"
        "for i in range(150):\n"
        "    loss = (h * i).sum()\n"
        "    loss.backward(retain_graph=True)\n"
        "after = h + x\n"
    )
    run = run_snippet(source, max_recorded_passes=100)
    assert (run["recorded_passes"], run["backward_passes"]) == (101, 150)  # (the first 100, and the last)
    for name, line in (("x", 1), ("h", 2)):
        nodes = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and name in (n["var"], *n["aliases"])]
        assert [n["line"] for n in nodes] == [line], name
    assert values(last_node_named(run, "h")["grad"]) == [149.0] * 3
    assert values(last_node_named(run, "x")["grad"]) == [2.0 * sum(range(150))] * 3


def test_a_top_level_name_bound_to_what_a_function_returns_labels_it_in_every_pass():
    """`loss = train_step(w)` in a loop whose lines call torch only inside the function: the losses of the passes
    before the last were unnamed (`loss` only an alias, the function's own name), for the top level was looked at
    again only when its line changed, and a name seen again kept its first, lower rank."""
    source = (
        "w = torch.ones(2, requires_grad=True)\n"
        "def train_step(w):\n"
        "    loss = (w * 2).sum()\n"
        "    loss.backward()\n"
        "    return loss\n"
        "for epoch in range(3):\n"
        "    loss = train_step(w)\n"
        "    print(epoch, loss.item())\n"
    )
    run = run_snippet(source)
    check_output_and_error(run, source)
    losses = [
        n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n.get("expr") != "w * 2" and n["var"] != "w"
    ]
    assert [(n["var"], n["aliases"]) for n in losses] == [("loss", [])] * 3


def test_a_functions_own_name_for_a_tensor_is_its_alias_when_the_top_level_binds_the_name_elsewhere():
    """docs/api.md's own example: `def f(x): x = x - x.mean()` on a top-level `x` keeps `x` as an alias of the
    function's result (it was dropped as if the top level had bound it back)."""
    source = "x = torch.ones(3)\ndef f(x):\n    x = x - x.mean()\n    return x.sum()\ns = f(x)\n"
    run = run_snippet(source)
    result = next(n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n.get("expr") == "x - x.mean()")
    assert (result["var"], result["aliases"]) == (None, ["x"])


@pytest.mark.parametrize("first", ["", "torch.manual_seed(0)\nX = torch.randn(8, 3)\n\n# the model, a line later\n"])
def test_a_layers_parameters_are_on_the_line_that_made_the_layer(first):
    """A layer runs no recorded op when it is made: its parameters took the line of the last op before it, or none
    when the layer came first. The line is the one binding its name, as the source says."""
    source = first + "model = nn.Linear(3, 1)\nloss = model(torch.ones(2, 3)).sum()\nloss.backward()\n"
    run = run_snippet(source)
    line = source.splitlines().index("model = nn.Linear(3, 1)") + 1
    params = [
        n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] in ("model.weight", "model.bias")
    ]
    assert [n["line"] for n in params] == [line, line]


def test_a_name_a_function_binds_on_its_last_line_of_ops_names_the_tensor():
    """`out = torch.tanh(self.fc(x)); return out` in a forward: names were looked at on each line that ran an op, so
    the one bound there, just before the function returned, was never seen (`out` unnamed, `res` no alias of y)."""
    source = (
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(2, 1)\n"
        "    def forward(self, x):\n"
        "        out = torch.tanh(self.fc(x))\n"
        "        return out\n"
        "net = Net()\n"
        "loss = net(torch.ones(1, 2)).sum()\n"
        "def f(a):\n"
        "    res = a * 2\n"
        "    return res\n"
        "y = f(torch.ones(2, requires_grad=True))\n"
    )
    run = run_snippet(source)
    check_against_torch(run, source)
    assert [n["line"] for n in tensor_nodes(run, "out")] == [6]
    assert [n["aliases"] for n in tensor_nodes(run, "y")] == [["res"]]


def test_a_name_a_caller_binds_to_what_its_callee_returned_names_the_tensor():
    """`res = helper(t); return res`: the caller ran no op of its own, so it was never looked at (`t * 2`, unnamed);
    one two calls up is looked at too (`mid`, an alias: the innermost function's name wins)."""
    source = (
        "def helper(t):\n"
        "    return t * 2\n"
        "def outer(t):\n"
        "    res = helper(t)\n"
        "    return res\n"
        "def deeper(t):\n"
        "    mid = outer(t)\n"
        "    return helper(mid).sum()\n"
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "z = outer(x).sum()\n"
        "w = deeper(x)\n"
    )
    run = run_snippet(source)
    check_against_torch(run, source)
    doubled = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["line"] == 2]
    assert [(n["var"], n["aliases"]) for n in doubled] == [("res", []), ("res", ["t", "mid"]), (None, [])]


def test_a_loop_whose_body_is_one_op_names_each_tensor_it_binds():
    """`h = h * 3` in a loop: the line's one op runs at the same place each time, which was taken for the same line
    still, so only the last `h` was named (the others `h * 3`), where a body of two ops named every one."""
    source = (
        "def doubling(h):\n"
        "    for _ in range(3):\n"
        "        h = h * 2\n"
        "    return h\n"
        "x = torch.tensor([1.0], requires_grad=True)\n"
        "a = doubling(x)\n"
        "g = x\n"
        "for _ in range(3):\n"
        "    g = g * 3\n"
        "g.backward()\n"
    )
    run = run_snippet(source)
    check_against_torch(run, source)
    assert [n["var"] for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["line"] == 3] == ["h", "h", "a"]
    assert [n["var"] for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["line"] == 9] == ["g"] * 3


def test_a_top_level_name_bound_through_torchs_code_names_each_tensor_of_a_loop():
    """`h = checkpoint(f, h)` in a loop: the top level was looked at again only on a call it made itself (`h = f(h)`),
    so the first step's result, bound to `h` before the second call, kept only f's `x` (an alias)."""
    source = (
        "from torch.utils.checkpoint import checkpoint\n"
        "def f(x):\n"
        "    return torch.sin(x) + x\n"
        "x = torch.randn(3, 4, requires_grad=True)\n"
        "h = x\n"
        "for i in range(2):\n"
        "    h = checkpoint(f, h, use_reentrant=False)\n"
        "loss = h.sum()\n"
    )
    run = run_snippet(source)
    check_against_torch(run, source)
    results = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n.get("expr") != "torch.sin(x)"]
    assert [n["var"] for n in results if n["line"] == 3] == ["h", "h"]


def test_the_tensors_a_functions_list_or_dict_holds_are_named_by_their_place():
    """`grads = torch.autograd.grad(loss, params)` in a function: the gradients went by their expressions, where the
    top level's `grads[0]` names them; a function's name the top level gives another tensor stays an alias."""
    source = (
        "def step(params, x):\n"
        "    loss = (x @ params[0]).sum() + params[1].sum()\n"
        "    grads = torch.autograd.grad(loss, params, create_graph=True)\n"
        "    return (grads[0] * 2).sum() + grads[1].sum()\n"
        "w = torch.ones(3, 1, requires_grad=True)\n"
        "b = torch.zeros(1, requires_grad=True)\n"
        "out = step([w, b], torch.ones(2, 3))\n"
    )
    run = run_snippet(source)
    check_against_torch(run, source)
    assert last_node_named(run, "grads[0]")["line"] == 3 and last_node_named(run, "grads[1]")["line"] == 3
    assert last_node_named(run, "w")["aliases"] == ["params[0]"]


def test_a_named_tuples_fields_are_aliases_as_the_code_reads_them():
    """`st = State(h=..., c=...)` and `m = torch.max(x, 0)`: `st[0]`, `m[1]` (as any tuple's items), and the code
    reads them `st.h`, `m.indices` too: aliases."""
    source = (
        "from typing import NamedTuple\n"
        "class State(NamedTuple):\n"
        "    h: torch.Tensor\n"
        "    c: torch.Tensor\n"
        "w = torch.randn(3, requires_grad=True)\n"
        "st = State(h=torch.tanh(w), c=w * 0.5)\n"
        "m = torch.max(w * 4, 0)\n"
        "pair = (w * 5, w * 6)\n"
        "(st.h * st.c).sum().backward()\n"
    )
    run = run_snippet(source)
    check_against_torch(run, source)
    for name, alias in (("st[0]", "st.h"), ("st[1]", "st.c"), ("m[0]", "m.values"), ("m[1]", "m.indices")):
        assert last_node_named(run, name)["aliases"] == [alias], name
    assert last_node_named(run, "pair[1]")["aliases"] == []


def test_a_tensor_first_met_as_a_functions_argument_is_on_the_calling_line():
    """`net(torch.randn(2, 3))`: the input's line was `def forward(self, x)`, a line that makes nothing."""
    source = (
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(3, 1)\n"
        "    def forward(self, x):\n"
        "        return self.fc(x)\n"
        "net = Net()\n"
        "y = net(torch.randn(2, 3))\n"
    )
    run = run_snippet(source)
    check_against_torch(run, source)
    assert [n["line"] for n in tensor_nodes(run, "x")] == [8]


def test_a_tensor_made_unrecorded_on_a_line_of_a_display_is_on_that_line():
    """A dict, list or call written over lines: a tensor its factory made with no gradient (or made a leaf by
    `.requires_grad_()`) got its node where the names were next looked at, the line of the next torch call
    (`params['W1']` on `"b2": ...`'s line); it is on the line that made it."""
    source = (
        "params = {\n"
        "    'W1': (0.1 * torch.randn(2, 3)).requires_grad_(),\n"
        "    'b1': torch.zeros(3, requires_grad=True),\n"
        "    'scale': torch.ones(1),\n"
        "    'b2': torch.zeros(1),\n"
        "}\n"
        "xs = [\n"
        "    torch.randn(4, 2),\n"
        "    torch.randn(4, 2),\n"
        "]\n"
        "out = ((xs[0] @ params['W1'] + params['b1']) * params['scale'] + params['b2']).sum() + xs[1].sum()\n"
        "out.backward()\n"
    )
    run = run_snippet(source)
    check_against_torch(run, source)
    lines = {n["var"]: n["line"] for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"]}
    assert [lines[f"params[{k!r}]"] for k in ("W1", "b1", "scale", "b2")] == [2, 3, 4, 5]
    assert [lines["xs[0]"], lines["xs[1]"]] == [8, 9]


def test_every_version_a_helper_makes_in_place_of_a_top_level_tensor_keeps_its_name():
    """`def bump_(t): t += 1; t.clamp_(min=0)` on a top-level `h`: the version between the two changes was `t` only
    (no look at the top level saw it); a name rebound before a change is not carried (`g`, another tensor by
    `h.add_(g)`)."""
    source = (
        "w = torch.randn(4, requires_grad=True)\n"
        "def bump_(t):\n"
        "    t += 1\n"
        "    t.clamp_(min=0)\n"
        "h = w * 2\n"
        "g = h\n"
        "bump_(h)\n"
        "g = w * 3\n"
        "h.add_(g)\n"
        "h.sum().backward()\n"
    )
    run = run_snippet(source)
    check_against_torch(run, source)
    versions = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["line"] in (3, 4, 5, 9)]
    assert [(n["line"], n["var"]) for n in versions] == [(5, "h"), (3, "h"), (4, "h"), (9, "h")]
    assert ["g" in n["aliases"] for n in versions] == [True, True, True, False]


def test_each_item_of_a_comprehension_is_recorded_with_the_name_it_has_there():
    """`[p - lr * g for p, g in zip(params, grads)]` in a function (a MAML step by hand): the line was looked at once,
    so the second item's `g` was never named, its `lr * g` not recorded, and the product drawn as a constant called
    `zip(params, grads)`."""
    source = (
        "def step(params, x, lr=0.1):\n"
        "    loss = (x @ params[0]).sum() + params[1].sum() * 3\n"
        "    grads = torch.autograd.grad(loss, params)\n"
        "    return [p - lr * g for p, g in zip(params, grads)]\n"
        "w = torch.ones(3, 1, requires_grad=True)\n"
        "b = torch.zeros(1, requires_grad=True)\n"
        "params = step([w, b], torch.ones(6, 3))\n"
    )
    run = run_snippet(source)
    check_against_torch(run, source)
    on_line = [n for n in run["forward"]["nodes"] if n["line"] == 4]
    assert [n["op"] for n in on_line if n["kind"] == "op"] == ["mul", "sub"] * 2
    assert [n.get("expr") for n in on_line if n["kind"] == "tensor" and n["var"] is None] == ["lr * g"] * 2


def test_each_item_of_a_one_op_comprehension_has_its_name_there():
    """`[torch.tanh(t) for t in xs]` runs its one op at the same place for each item: only the first item was looked
    at, so `xs[1]` had no alias `t`."""
    source = "w = torch.ones(2, requires_grad=True)\nxs = [w * k for k in range(3)]\nys = [torch.tanh(t) for t in xs]\n"
    run = run_snippet(source)
    assert [last_node_named(run, f"xs[{i}]")["aliases"] for i in range(3)] == [["t"]] * 3


def test_a_change_in_place_through_a_view_comes_from_its_op():
    """`y[1] *= 3` multiplies a view of y in place, which changes y: y's new version is an output of the multiply
    (it came from nowhere, as "made inside torch")."""
    source = """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y[1] *= 3
        y[:2].add_(1)
        (y ** 2).sum().backward()
        print(x.grad)
    """
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 2
    nodes = run["forward"]["nodes"]
    made = {e["target"] for e in run["forward"]["edges"] if e["source"].startswith("o")}
    tensors = [n for n in nodes if n["kind"] == "tensor"]
    assert [n["id"] for n in tensors if not n["is_leaf"] and n["id"] not in made] == []
    ops = {n["id"]: n["op"] for n in nodes if n["kind"] == "op"}
    changed = [
        ops[e["source"]]
        for e in run["forward"]["edges"]
        if e["source"] in ops
        and e["target"]
        in {
            n["id"] for n in tensors if n["shape"] == [3] and n["value"]["data"] in ([2.0, 12.0, 6.0], [3.0, 13.0, 6.0])
        }
    ]
    assert {"mul_", "add_"} <= set(changed)


def test_a_view_changed_through_its_base_comes_from_the_op_that_changed_the_base():
    """`wt = lin.weight.T`, then `opt.step()` changes lin.weight in place, and wt with it (torch gives wt a new grad_fn,
    AsStridedBackward0): wt's new version is an output of the step, on its line (it came from no op, and the page said
    a backward pass with create_graph=True made it); so is a view of a non-leaf changed by `add_` under grad mode."""
    source = """
        torch.manual_seed(0)
        lin = nn.Linear(3, 2)
        opt = torch.optim.SGD(lin.parameters(), lr=0.1)
        wt = lin.weight.T
        loss = (torch.randn(4, 3) @ wt).pow(2).mean()
        loss.backward()
        opt.step()
        print(wt.grad_fn.name())
        h = torch.tensor([1.0, 2.0], requires_grad=True) * 2
        first = h[0]
        h.add_(1)
        print(first.grad_fn.name())
    """
    run = run_snippet(source)
    check_output_and_error(run, source)
    assert run["stdout"] == "AsStridedBackward0\nAsStridedBackward0\n"
    nodes = {n["id"]: n for n in run["forward"]["nodes"]}
    made_by = {e["target"]: nodes[e["source"]] for e in run["forward"]["edges"] if e["source"].startswith("o")}
    last = {n["var"]: n for n in nodes.values() if n["kind"] == "tensor" and n["var"] in ("wt", "first")}
    assert [(v, made_by[n["id"]]["op"], n["line"]) for v, n in last.items()] == [
        ("wt", "SGD.step", 8),
        ("first", "add_", 12),
    ]
    tensors = [n for n in nodes.values() if n["kind"] == "tensor"]
    assert [n["id"] for n in tensors if not n["is_leaf"] and n["id"] not in made_by] == []


def test_a_paused_loops_last_iteration_is_not_recorded_where_the_run_has_no_room_for_it():
    """The first passes of a loop fill the run nearly to GRADWALK_MAX_NODES: recording its last iteration again would
    stop the recording there (status `limit`, where the run was `ok`); it is not recorded then."""
    source = PAUSED_START + "for step in range(12):\n" + PAUSED_STEP
    roomy = run_snippet(source, max_recorded_passes=3)
    assert roomy["status"] == "ok" and roomy["recorded_passes"] == 4
    nodes = len(roomy["forward"]["nodes"]) + len(roomy["backward"]["nodes"])
    # (the roomy run recorded 2 nodes more than it shows: the last iteration met the `pred` and `loss` before)
    tight = run_snippet(source, max_recorded_passes=3, max_nodes=nodes)
    assert tight["status"] == "ok" and tight["recorded_passes"] == 3


EVALUATION_IN_TRAINING = """
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
X = torch.randn(64, 4)
Y = X.sum(1, keepdim=True)
for epoch in range(12):
    pred = model(X)
    loss = F.mse_loss(pred, Y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 5 == 0:
        correct = 0
        with torch.no_grad():
            for i in range(300):
                correct += int((model(X[i % 64]) - Y[i % 64]).abs() < 0.5)
        print(epoch, round(loss.item(), 4), correct)
print(loss)
"""


def test_an_evaluation_that_paused_inside_a_training_loop_leaves_room_for_its_last_iteration():
    """A per-sample evaluation run in a training loop's first epoch paused the loop at half the graph's room: the
    average recorded pass, that evaluation included, looked too big to record the loop's last iteration again, and
    the last `loss` showed its value without its graph. The last pass is what an iteration costs: it is recorded."""
    run = run_snippet(EVALUATION_IN_TRAINING, max_nodes=3000)
    check_output_and_error(run, EVALUATION_IN_TRAINING)
    assert run["status"] == "ok" and run["recording_paused"]["line"] in (16, 17)
    loss = last_node_named(run, "loss")
    plain = run_plain(EVALUATION_IN_TRAINING).namespace
    assert loss["line"] == 9 and loss["grad_fn"] is not None
    assert values(loss["value"]) == approx([plain["loss"].item()])
    assert run["recorded_passes"] == 2 and run["backward_passes"] == 12


def test_a_paused_loops_last_iteration_of_two_passes_is_recorded_again_only_where_both_fit():
    """An iteration of two backward passes (a GAN's, a big one then a small one) was judged by the last pass alone, the
    small one: its last iteration, recorded again, took the run past GRADWALK_MAX_NODES (`limit`, where it was `ok`).
    What each line's pass last cost counts, both passes together."""
    source = (
        "w = torch.ones(3, requires_grad=True)\nv = torch.ones(3, requires_grad=True)\nfor step in range(6):\n"
        "    x = w" + " * 1.001" * 100 + "\n    loss = x.sum()\n    loss.backward()\n"
        "    small = (v * 2).sum()\n    small.backward()\nprint(w.grad, v.grad)\n"
    )
    for max_nodes in (616, 618, 700):
        run = run_snippet(source, max_recorded_passes=2, max_nodes=max_nodes)
        assert run["status"] == "ok", (max_nodes, run["error"])
        check_output_and_error(run, source)


def test_a_paused_loops_last_iteration_shows_no_lone_nodes_of_the_iteration_before():
    """Recorded again, a training loop's last iteration met the `pred` and `loss` of the iteration before still bound:
    they showed as a second `pred` and `loss`, no line, no edge, next to the last iteration's."""
    source = PAUSED_START + "for step in range(12):\n" + PAUSED_STEP
    run = run_snippet(source, max_recorded_passes=3)
    assert run["recorded_passes"] == 4
    lone = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["line"] is None and not n["is_leaf"]]
    assert lone == []
    last = [n for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == "loss"][-1]
    assert last["line"] == 9 and last["grad_fn"] is not None
    assert check_against_torch(run, source) > 0


def test_a_loop_variable_names_the_tensor_its_module_path_no_longer_holds():
    """`for param in model.parameters()` and then a layer replaced (the blitz's fine-tuning step): the last `param`
    is the old layer's bias, which `model.1.bias` no longer names; the loop's variable labels it."""
    source = (
        "import torch\nfrom torch import nn\n"
        "model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))\n"
        "for param in model.parameters():\n    param.requires_grad = False\n"
        "model[1] = nn.Linear(2, 1)\n"
        "model(torch.ones(1, 2)).sum().backward()\n"
    )
    run = run_snippet(source)
    assert check_against_torch(run, source) >= 5
    assert last_node_called(run, "param")["var"] == "param"
    assert last_node_named(run, "model.1.bias")["grad"] is not None  # (the new layer's)


def test_an_lstm_whose_output_is_unused_explains_its_gradients_from_h_n_and_c_n():
    """An encoder's LSTM gives only its last h and c to what follows (`_, (h, c) = lstm(x)`): its backward node
    received no gradient for the output, and is explained from h_n's and c_n's (not `grad_x = ?`)."""
    source = (
        "import torch\ntorch.manual_seed(0)\nlstm = torch.nn.LSTM(3, 4)\nx = torch.randn(5, 2, 3)\n"
        "out, (h, c) = lstm(x)\n(h.sum() + 2 * c.sum()).backward()\n"
    )
    run = run_snippet(source, explain_max_nodes=1_000_000)
    node = next(n for n in run["backward"]["nodes"] if n["name"] == "MkldnnRnnLayerBackward0")
    weights = node["explain"]["inputs"][1:5]
    assert all("?" not in e["formula"]["en"] for e in weights), weights
    assert all(e["check"] is not None and e["check"]["ok"] for e in weights), weights


def test_values_torchs_own_saved_tensor_hooks_packed_are_not_said_to_be_the_snippets():
    """A non-reentrant torch.utils.checkpoint keeps none of its segment's values (its hooks pack a placeholder and
    compute them again in backward), and torch.autograd.graph.save_on_cpu packs them itself: the explanations said
    "the snippet's saved-tensor hook packed it (unpacking it would run the snippet's code)", and the saved values
    "packed by the snippet's saved-tensor hook", though the snippet hooked nothing. Each says whose hook it was."""
    source = """
        from torch.utils.checkpoint import checkpoint
        w = torch.tensor([[1.0, 2.0], [0.5, -1.0]], requires_grad=True)
        def block(x):
            return torch.tanh(x @ w)
        y = checkpoint(block, torch.ones(3, 2), use_reentrant=False)
        with torch.autograd.graph.save_on_cpu():
            z = torch.sin(w)
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t.tolist(), lambda p: torch.tensor(p)):
            u = torch.cos(w)
        (y.sum() + z.sum() + u.sum()).backward()
    """
    run = run_snippet(source, explain_max_nodes=1_000_000)
    check_output_and_error(run, source)
    nodes = {n["name"]: n for n in run["backward"]["nodes"]}
    expected = {
        "TanhBackward0": ("torch.utils.checkpoint did not keep it", "not kept by torch.utils.checkpoint"),
        "SinBackward0": ("a saved-tensor hook of torch's own", "packed by a saved-tensor hook of torch's own"),
        "CosBackward0": ("the snippet's saved-tensor hook packed it", "packed by the snippet's saved-tensor hook"),
    }
    for name, (said, saved) in expected.items():
        words = nodes[name]["explain"]["words"]["en"]
        assert said in words, (name, words)
        assert ("the snippet's" in words) is (name == "CosBackward0"), (name, words)
        assert any((entry["repr"] or "").startswith(saved) for entry in nodes[name]["saved"]), nodes[name]["saved"]


@pytest.mark.parametrize(
    ("snippet", "nodes"),
    [
        ("fractional_max_pool_2d_3d.py", {"FractionalMaxPool2DBackward0", "FractionalMaxPool3DBackward0"}),
        ("multilabel_margin_loss_reductions.py", {"MultilabelMarginLossBackward0"}),
    ],
)
def test_the_backward_nodes_of_fractional_max_pooling_and_the_multilabel_margin_loss_are_explained(snippet, nodes):
    """nn.FractionalMaxPool2d/3d and nn.MultiLabelMarginLoss (targets listed up to a -1, a class listed twice counted
    twice, a row whose every class is a target) had no explanation: each is explained and checked."""
    source = (Path(__file__).parent / "realworld" / snippet).read_text()
    run = run_snippet(source, explain_max_nodes=1_000_000)
    explained = [n["explain"] for n in run["backward"]["nodes"] if n["name"] in nodes]
    assert {e["rule"] for e in explained if e} == nodes and all(explained)
    assert all(entry["check"] is not None and entry["check"]["ok"] for e in explained for entry in e["inputs"])


def test_3d_convolutions_and_convolutions_without_a_bias_are_explained_as_they_ran():
    """nn.Conv3d and nn.ConvTranspose3d (video, volumes) had no explanation at all; and a convolution made with
    bias=False was written `y = conv(x, W) + b`, its bias said to get the sum of grad, though none was added. Each is
    explained and checked, and one without a bias says so and writes none."""
    source = """
        torch.manual_seed(0)
        clip = torch.randn(2, 4, 5, 6, 6, requires_grad=True)
        convs = [
            nn.Conv3d(4, 6, 3),
            nn.Conv3d(4, 2, (1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1)),
            nn.Conv3d(4, 4, 3, padding=2, dilation=2, groups=2, bias=False),
            nn.ConvTranspose3d(4, 3, 3, stride=2, padding=1, output_padding=1),
            nn.ConvTranspose3d(4, 6, (2, 3, 3), stride=(1, 2, 1), groups=2, dilation=(1, 1, 2), bias=False),
            nn.Conv2d(4, 2, 3, bias=False),
            nn.ConvTranspose1d(4, 2, 3, stride=2, bias=False),
        ]
        outs = [conv(clip) for conv in convs[:5]]
        outs += [convs[5](clip[:, :, 0]), convs[6](clip[:, :, 0, 0])]
        sum((o * torch.linspace(-1, 1, o.numel()).view_as(o)).sum() for o in outs).backward()
    """
    run = run_snippet(source, explain_max_nodes=1_000_000)
    check_output_and_error(run, source)
    assert check_against_torch(run, source) >= 8
    convolutions = {}
    for node in run["backward"]["nodes"]:
        if node["name"] == "ConvolutionBackward0":
            index = int(node["explain"]["words"]["en"].split("outs[", 1)[1].split("]", 1)[0])
            convolutions[index] = node["explain"]
    assert sorted(convolutions) == list(range(7))
    for index, explained in convolutions.items():
        checks = [entry["check"] for entry in explained["inputs"][:2]]
        assert all(c is not None and c["ok"] for c in checks), (index, explained["inputs"])
        unbiased = index in (2, 4, 5, 6)
        words, formula = explained["words"]["en"], explained["formula"]["en"]
        assert ("no bias was added" in words) is unbiased, (index, words)
        assert ("bias" not in words.replace("no bias was added", "")) is unbiased, (index, words)
        assert formula.count("∂L/∂") == (2 if unbiased else 3), (index, formula)
        assert (
            "편향은 더하지 않았습니다" in explained["words"]["ko"] if unbiased else "편향" in explained["words"]["ko"]
        )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("model = nn.Linear(2, 1)\nprint(model.weights)", "'Linear' object has no attribute 'weights'"),
        ("losses = []\nfor step in range(2):\n    lossses.append(step)", "name 'lossses' is not defined"),
        ("def f(x):\n    total = x\n    return totl\nf(1)", "name 'totl' is not defined"),
    ],
)
def test_a_misspelled_names_error_says_what_plain_python_suggests(source, message):
    """Plain Python prints `AttributeError: 'Linear' object has no attribute 'weights'. Did you mean: 'weight'?`:
    the suggestion, written as it prints the error, is no part of `str(exc)`, and the Run's message lacked it."""
    run = run_snippet(source)
    imported = "import torch\nfrom torch import nn\n" + prepare_source(source)
    plain = subprocess.run([sys.executable, "-c", imported], capture_output=True, text=True, check=False)
    assert plain.stderr.rstrip("\n").endswith(f"{run['error']['type']}: {run['error']['message']}")
    assert run["error"]["message"].startswith(message + ". Did you mean: '")


def test_a_daemon_thread_still_training_as_the_snippet_ends_changes_nothing_the_run_is_made_from():
    """A daemon thread keeps running backward passes after the snippet's last line: the Run is made from what the
    snippet held as it ended. Its passes changed the records under the export: about one run in two ended
    `GradwalkError` (dictionary changed size during iteration, zip() of unequal lengths) or crashed the capture."""
    code = """
import threading
w = torch.ones(3, requires_grad=True)
def churn(w=w):  # (bounded: in this process it outlives the run)
    for _ in range(3000):
        (w * 2).sum().backward()
threading.Thread(target=churn, daemon=True).start()
(w * 3).sum().backward()
print("done")
"""
    for turn in range(12):
        run = run_snippet(f"{code}# {turn}\n")
        assert (run["status"], run["error"], run["stdout"]) == ("ok", None, "done\n")
        assert {"MulBackward0", "AccumulateGrad"} <= {node["name"] for node in run["backward"]["nodes"]}
    for thread in threading.enumerate():  # (a thread still in torch as a process exits aborts it)
        if thread.name.endswith("(churn)"):
            thread.join()


def test_a_run_starts_from_the_same_random_numbers_in_torch_random_and_numpy():
    """Each run is repeatable: torch, Python's random and numpy's global generator start seeded with 0 (numpy's was
    left as the worker had it, and the same snippet gave other numbers on another worker)."""
    import random

    import numpy

    source = (
        "import random\nimport numpy as np\n"
        "print(torch.rand(2).tolist(), random.random(), np.random.rand(2).tolist())\n"
    )
    numpy.random.seed(12345)  # (a generator this process moved on)
    first = run_snippet(source)["stdout"]
    numpy.random.rand(7)
    torch.rand(3)
    random.random()
    assert run_snippet(source)["stdout"] == first
    torch.manual_seed(0)
    random.seed(0)
    numpy.random.seed(0)
    assert first == f"{torch.rand(2).tolist()} {random.random()} {numpy.random.rand(2).tolist()}\n"


def test_looking_at_a_loops_header_runs_none_of_the_snippets_code():
    """Whether a paused loop is at its last iteration: the callable in its header is looked at to see if it is tqdm's
    progress bar. `isinstance(found, type)` read the object's own `__class__`, here the snippet's property, which
    printed a line plain Python never prints."""
    source = (
        "import tqdm\n"
        "class Steps:\n    @property\n    def __class__(self):\n        print('looked at')\n        return Steps\n"
        "    def __call__(self, n):\n        return range(n)\n"
        "steps = Steps()\nw = torch.ones(1, requires_grad=True)\n"
        "for i in steps(6):\n    (w * 2).sum().backward()\nprint(w.grad)\n"
    )
    run = run_snippet(source, max_recorded_passes=2)
    assert run["backward_passes"] == 6 and run["recorded_passes"] is not None
    assert run["stdout"] == "tensor([12.])\n"
    check_output_and_error(run, source)


@pytest.mark.parametrize(
    ("mode", "dropout", "unchanged"),
    [
        ("model.eval()", "nn.Dropout(p=0.5)", True),
        ("model.train()", "nn.Dropout(p=0.0)", True),
        ("model.eval()", "nn.AlphaDropout(p=0.5)", True),
        ("model.train()", "nn.Dropout(p=0.5)", False),
    ],
)
def test_a_dropout_that_changes_nothing_is_drawn_as_an_op_with_no_backward_node(mode, dropout, unchanged):
    """nn.Dropout after model.eval() (or with p = 0) gives its input back, the same tensor: nothing was recorded, and
    the page said nowhere that the model's dropout ran or why it did nothing. Its call is an op marked `unchanged`,
    in its module, whose result is the tensor the snippet named; backward is as torch's, with no node for it. In
    training mode it is an op as any other."""
    source = (
        f"torch.manual_seed(0)\nmodel = nn.Sequential(nn.Linear(3, 2), {dropout})\n{mode}\n"
        "x = torch.tensor([[1.0, 2.0, 3.0]])\nout = model(x)\nout.sum().backward()\n"
    )
    run = run_snippet(source)
    (op,) = [n for n in run["forward"]["nodes"] if n["kind"] == "op" and "dropout" in n["op"]]
    assert op["unchanged"] is unchanged and op["module"] == "model.1" and op["line"] == 5
    out = next(n for n in run["forward"]["nodes"] if n.get("var") == "out")
    assert {"source": op["id"], "target": out["id"]} in run["forward"]["edges"]
    ran = sorted(run["backward"]["nodes"], key=lambda n: n["order"])
    assert (ran[1]["name"] == "AddmmBackward0") is unchanged  # (as torch's own: the dropout made no node)
    if unchanged:  # (the linear's node is the linear's result's, not the dropout's: out's the step lights after it)
        assert {"source": ran[1]["tensor"], "target": op["id"]} in run["forward"]["edges"]
    assert ("dropout (×1)" in to_dot(parse_run(orjson.dumps(run)), "forward")) is unchanged


TAKEN_OUT_AND_BACK = """
w = torch.tensor([1.0, 2.0], requires_grad=True)
s = (w * 3).sum()
v = s.item()
print(s.item())
z = torch.tensor(v) * w
a = (w ** 2).detach().numpy()
b = torch.from_numpy(a) + w
vals = (w * 2).tolist()
t = torch.tensor(vals, requires_grad=True)
(z.sum() + b.sum() + (t * w).sum()).backward()
"""


def test_values_taken_out_and_made_into_a_tensor_are_drawn_as_a_cut_from_where_they_came():
    """`.item()`, `.tolist()` and `.numpy()` were drawn nowhere: `torch.tensor(v)` stood alone, as if the code had
    written its 9. Each is an op from the tensor it read to the tensor made of what it returned, a cut where that tensor
    required grad; the `.item()` only printed draws nothing. Values and gradients as plain torch has them."""
    run = run_snippet(TAKEN_OUT_AND_BACK)
    check_against_torch(run, TAKEN_OUT_AND_BACK)
    nodes = {n["id"]: n for n in run["forward"]["nodes"]}
    made_by = {e["target"]: e["source"] for e in run["forward"]["edges"] if nodes[e["source"]]["kind"] == "op"}
    inputs = {}
    for edge in run["forward"]["edges"]:
        inputs.setdefault(edge["target"], []).append(edge["source"])
    taken = [n for n in nodes.values() if n["kind"] == "op" and n["op"] in ("item", "tolist", "numpy")]
    drawn = []
    for op in taken:
        (source,) = inputs[op["id"]]
        (made,) = [target for target, maker in made_by.items() if maker == op["id"]]
        name, made_name = (nodes[n]["var"] or nodes[n]["expr"] for n in (source, made))
        drawn.append((name, op["op"], op["line"], op["cut"], made_name, nodes[made]["line"]))
    assert drawn == [
        ("s", "item", 4, True, "torch.tensor(v)", 6),
        ("(w ** 2).detach()", "numpy", 7, False, "torch.from_numpy(a)", 8),  # (the cut is the detach before it)
        ("w * 2", "tolist", 9, True, "t", 10),  # (a leaf that requires grad, made of them: a cut all the same)
    ]
    dot = to_dot(parse_run(orjson.dumps(run)), "forward")
    item = taken[0]["id"]
    assert f'"{item}" [label="item" shape="ellipse" style="dashed,filled"' in dot  # drawn as every cut is


def test_large_values_taken_out_are_not_held_past_what_the_snippet_holds():
    """What `.numpy()` or `.tolist()` took out is held, to draw a tensor made of it: a loop taking out a large value
    each step (a 500x1000 `.tolist()`) ran out of the run's memory where plain Python held one at a time. A value of
    a tensor of more than TAKEN_OUT_MAX_ELEMENTS is not held: freed when the snippet lets go of it, as in plain
    Python."""
    source = (
        "import weakref\n"
        "w = torch.ones(SIZE, requires_grad=True)\n"
        "refs = []\n"
        "for _ in range(3):\n"
        "    a = (w * 2).detach().numpy()\n"
        "    refs.append(weakref.ref(a))\n"
        "    del a\n"
        "print([r() is None for r in refs])\n"
    ).replace("SIZE", str(TAKEN_OUT_MAX_ELEMENTS + 1))
    run = run_snippet(source)
    assert run["stdout"] == "[True, True, True]\n", run["stdout"]


def test_a_tensor_never_takes_the_line_of_a_freed_one_whose_id_it_got():
    """What made a tensor the graph does not record is noted by its id, to say it when the tensor is first used: a
    tensor a recorded op made later, with the id of a freed one so noted, took its line (a training script's `acc` on
    line 63 was said to come from line 53, where a `clip_grad_norm_` result of an earlier step was made and dropped).
    Here about one in four `acc` came out on line 4."""
    source = (
        "w = torch.ones(3, requires_grad=True)\n"
        "with torch.no_grad():\n"
        "    for i in range(50):\n"
        "        n = torch.zeros(())\n"
        "        del n\n"
        "        acc = w.sum()\n"
    )
    run = run_snippet(source)
    lines = {n["line"] for n in run["forward"]["nodes"] if n["kind"] == "tensor" and n["var"] == "acc"}
    assert lines == {6}, lines
